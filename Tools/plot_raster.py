#!/usr/bin/env python3
"""Reproduce `vesicle plot raster` with matplotlib: spike raster by population over one rate
panel per population (each on its own scale). Same downsampling rule: at most K neurons per
population, indices floor(j N / K). The window starts at the end of the warm-up recorded in
metadata.json unless --from is given.

    python3 Tools/plot_raster.py RUN [--max-neurons 100] [--output raster_mpl.png]
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vesicle_io  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run")
    parser.add_argument("--max-neurons", type=int, default=100)
    parser.add_argument("--bin", type=float, default=5.0, help="rate bin (ms)")
    parser.add_argument("--from", dest="start", type=float, default=None,
                        help="window start (ms); default: the end of the warm-up")
    parser.add_argument("--to", dest="stop", type=float, default=None, help="window end (ms)")
    parser.add_argument("--output", default=None)
    args = parser.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    spikes = vesicle_io.load_spikes(args.run)
    metadata = vesicle_io.load_metadata(args.run) or {}
    sizes = {p["name"]: p["neurons"] for p in metadata.get("populations", [])}
    end = args.stop or metadata.get("simulated_time_ms") or max((t.max() for _, t in spikes.values() if t.size), default=1.0)

    if args.start is None:
        args.start = metadata.get("warmup_ms") or 0.0
    count = len(spikes)
    fig, axes = plt.subplots(1 + count, 1, figsize=(10, 4.5 + 1.1 * count), sharex=True,
                             gridspec_kw={"height_ratios": [4] + [1] * count}, squeeze=False)
    top = axes[0][0]
    row = 0
    ticks, labels = [], []
    edges = np.arange(args.start, end + args.bin, args.bin)
    for k, (population, (neurons, times)) in enumerate(spikes.items()):
        n = sizes.get(population, int(neurons.max()) + 1 if neurons.size else 1)
        kept = min(n, args.max_neurons)
        chosen = np.array([j * n // kept for j in range(kept)], dtype=np.uint64)
        rows = {int(neuron): r for r, neuron in enumerate(chosen)}
        mask = np.isin(neurons, chosen) & (times >= args.start) & (times <= end)
        y = np.array([row + rows[int(neuron)] for neuron in neurons[mask]])
        colour = "C%d" % k
        top.plot(times[mask], y, color=colour, marker="s", markersize=1, linestyle="none")
        ticks.append(row + kept / 2)
        labels.append(population)
        row += kept
        counts, _ = np.histogram(times, bins=edges)
        rate_axis = axes[1 + k][0]
        rate_axis.plot(edges[:-1] + args.bin / 2, counts / n / (args.bin / 1000), color=colour)
        rate_axis.set_ylabel("rate (Hz)")
        rate_axis.set_ylim(bottom=0)
        rate_axis.set_title("%s: population rate (bins of %g ms)" % (population, args.bin), fontsize=9)
    top.set_yticks(ticks, labels)
    top.invert_yaxis()
    top.set_title("Spike raster (evenly spaced neurons floor(jN/K); rates use all neurons)")
    bottom = axes[-1][0]
    bottom.set_xlim(args.start, end)
    bottom.set_xlabel("time (ms)")
    fig.tight_layout()
    output = args.output or os.path.join(args.run, "raster_matplotlib.png")
    fig.savefig(output, dpi=100)
    print("wrote", output)


if __name__ == "__main__":
    main()
