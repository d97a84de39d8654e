#!/usr/bin/env python3
"""Run the Brunel (2000) network of BENCHMARKS.md §1 in NEST and in Vesicle and print their
rates, CV of ISI and Fano factors side by side.

    python3 Tools/nest_crosscheck.py [--neurons 2500] [--regime C] [--seeds 1 2 3]
                                     [--vesicle PATH] [--venv DIR] [--skip-vesicle] [--skip-nest]

NEST is installed from PyPI (`nest-simulator`) into a virtualenv this script creates
(default ~/.cache/vesicle/nest-venv) and the NEST part re-runs itself inside it. Vesicle's
figures come from `vesicle bench brunel --neurons N --regime R --seed S`, whose last stdout line
is a JSON object with mean_rate_hz, mean_cv and fano.

Both sides use the same statistics (those of Sources/VesicleAnalysis/SpikeStatistics.swift):
excitatory population, 100 ms warm-up dropped, 1 s analysed; rate over all neurons; CV as
population s.d. / mean of the ISIs, averaged over neurons with >= 2 intervals; Fano factor of
single-neuron counts in 100 ms bins (population variance), averaged over neurons that fired.
The last line printed is one JSON object with every figure.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

REGIMES = {"A": (3.0, 2.0), "B": (6.0, 4.0), "C": (5.0, 2.0), "D": (4.5, 0.9)}  # g, eta (Brunel 2000, Fig. 8)
REFERENCE_2500 = {"mean_rate_hz": (75.1, 75.4), "mean_cv": (0.159, 0.161), "fano": (0.047, 0.048)}
REFERENCE_12500 = {"mean_rate_hz": (37.2, 37.9), "mean_cv": (0.419, 0.423), "fano": (0.195, 0.200)}
WARMUP_MS = 100.0
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def statistics(trains, start, stop, fano_bin=100.0):
    """rate (Hz), mean CV, mean Fano of per-neuron spike-time arrays over [start, stop) ms."""
    import numpy as np

    window = stop - start
    bins = int(window // fano_bin)
    spikes = 0
    cvs, fanos = [], []
    for times in trains:
        t = np.sort(times[(times >= start) & (times < stop)])
        spikes += t.size
        if t.size >= 3:
            isi = np.diff(t)
            if isi.mean() > 0:
                cvs.append(isi.std() / isi.mean())
        if bins > 0:
            counts = np.bincount(((t - start) // fano_bin).astype(int), minlength=bins)[:bins]
            if counts.mean() > 0:
                fanos.append(counts.var() / counts.mean())
    rate = spikes / len(trains) / (window / 1000.0)
    return {
        "mean_rate_hz": rate,
        "mean_cv": float(np.mean(cvs)) if cvs else float("nan"),
        "fano": float(np.mean(fanos)) if fanos else float("nan"),
    }


def run_nest(neurons, regime, seed, duration, precise=False):
    """Brunel with iaf_psc_delta (BENCHMARKS.md §1); returns statistics and timings. With `precise`,
    NEST's continuous-time models iaf_psc_delta_ps and poisson_generator_ps, the closest peers of
    Vesicle's exact spike times."""
    import nest
    import numpy as np

    g, eta = REGIMES[regime]
    n_e, n_i = int(round(0.8 * neurons)), neurons - int(round(0.8 * neurons))
    c_e, c_i = int(round(0.1 * n_e)), int(round(0.1 * n_i))
    tau_m, theta, j, delay = 20.0, 20.0, 0.1, 1.5
    nu_thr = theta / (j * c_e * tau_m)  # per ms
    p_rate = 1000.0 * eta * nu_thr * c_e  # Hz; 20 kHz at eta = 2

    nest.set_verbosity("M_WARNING")
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": 0.1, "rng_seed": seed, "local_num_threads": 1, "print_time": False})
    params = {"C_m": 1.0, "tau_m": tau_m, "t_ref": 2.0, "E_L": 0.0, "V_reset": 10.0, "V_th": theta,
              "refractory_input": False}
    started = time.time()
    model = "iaf_psc_delta_ps" if precise else "iaf_psc_delta"
    if precise:
        params = {k: v for k, v in params.items() if k != "refractory_input"}
    exc = nest.Create(model, n_e, params=params)
    inh = nest.Create(model, n_i, params=params)
    for population in (exc, inh):
        population.V_m = nest.random.uniform(0.0, theta)
    noise = nest.Create("poisson_generator_ps" if precise else "poisson_generator", params={"rate": p_rate})
    recorder = nest.Create("spike_recorder", params={"start": WARMUP_MS, "stop": WARMUP_MS + duration})
    nest.CopyModel("static_synapse", "excitatory", {"weight": j, "delay": delay})
    nest.CopyModel("static_synapse", "inhibitory", {"weight": -g * j, "delay": delay})
    everyone = exc + inh
    nest.Connect(noise, everyone, syn_spec="excitatory")
    nest.Connect(exc, everyone, {"rule": "fixed_indegree", "indegree": c_e, "allow_autapses": True,
                                 "allow_multapses": True}, "excitatory")
    nest.Connect(inh, everyone, {"rule": "fixed_indegree", "indegree": c_i, "allow_autapses": True,
                                 "allow_multapses": True}, "inhibitory")
    nest.Connect(exc, recorder)
    built = time.time()
    nest.Simulate(WARMUP_MS + duration)
    simulated = time.time()
    events = recorder.get("events")
    senders = np.asarray(events["senders"])
    times = np.asarray(events["times"], dtype=float)
    first = exc.tolist()[0]
    trains = [[] for _ in range(n_e)]
    for sender, t in zip(senders, times):
        trains[int(sender) - first].append(t)
    result = statistics([np.asarray(t) for t in trains], WARMUP_MS, WARMUP_MS + duration)
    result.update({"build_s": built - started, "simulate_s": simulated - built, "nest_version": nest.__version__})
    return result


def ensure_venv(venv):
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        print("creating virtualenv %s" % venv, file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    probe = subprocess.run([python, "-c", "import nest, numpy"], capture_output=True)
    if probe.returncode != 0:
        print("installing nest-simulator and numpy into %s (this takes a while)" % venv, file=sys.stderr)
        subprocess.check_call([python, "-m", "pip", "install", "-q", "--upgrade", "pip"])
        subprocess.check_call([python, "-m", "pip", "install", "-q", "nest-simulator", "numpy"])
    return python


def nest_figures(args, seed):
    """Runs this script's --nest-only mode inside the virtualenv and parses its JSON line."""
    python = ensure_venv(args.venv)
    command = [python, os.path.abspath(__file__), "--nest-only", "--neurons", str(args.neurons),
               "--regime", args.regime, "--duration", str(args.duration), "--seeds", str(seed)]
    if args.precise:
        command.append("--precise")
    output = subprocess.run(command, capture_output=True, text=True)
    if output.returncode != 0:
        raise RuntimeError("NEST run failed:\n" + output.stderr[-4000:])
    return json.loads(output.stdout.strip().splitlines()[-1])


def vesicle_binary(args):
    if args.vesicle:
        return args.vesicle
    release = os.path.join(REPO, ".build", "release", "vesicle")
    if not os.path.exists(release):
        print("building vesicle (release)", file=sys.stderr)
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "vesicle"], cwd=REPO)
    return release


def vesicle_figures(args, seed):
    command = [vesicle_binary(args), "bench", "brunel", "--neurons", str(args.neurons), "--regime", args.regime,
               "--seed", str(seed), "--duration", str(args.duration)]
    output = subprocess.run(command, capture_output=True, text=True)
    if output.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(command), output.stderr[-4000:]))
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    return {k: figures.get(k) for k in ("mean_rate_hz", "mean_cv", "fano")} | {"raw": figures}


def show(value, digits=3):
    return "-" if value is None or value != value else ("%.*f" % (digits, value))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--neurons", type=int, default=2500)
    parser.add_argument("--regime", default="C", choices=sorted(REGIMES))
    parser.add_argument("--duration", type=float, default=1000.0, help="analysed time after the warm-up (ms)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--vesicle", help="path to the vesicle executable (default: build .build/release/vesicle)")
    parser.add_argument("--venv", default=os.path.expanduser("~/.cache/vesicle/nest-venv"))
    parser.add_argument("--skip-vesicle", action="store_true")
    parser.add_argument("--skip-nest", action="store_true")
    parser.add_argument("--precise", action="store_true",
                        help="NEST's precise-timing models (iaf_psc_delta_ps, poisson_generator_ps) instead of the grid ones")
    parser.add_argument("--nest-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.nest_only:
        print(json.dumps(run_nest(args.neurons, args.regime, args.seeds[0], args.duration, args.precise)))
        return 0

    info = machine()
    print("machine: %d cores, %s" % (info["cores"], info["cpu"]))
    print("command: %s" % " ".join([os.path.relpath(__file__, REPO)] + sys.argv[1:]))
    print("Brunel regime %s, N = %d, %.0f ms warm-up, %.0f ms analysed" % (args.regime, args.neurons, WARMUP_MS, args.duration))
    rows = []
    for seed in args.seeds:
        row = {"seed": seed}
        if not args.skip_nest:
            row["nest"] = nest_figures(args, seed)
        if not args.skip_vesicle:
            row["vesicle"] = vesicle_figures(args, seed)
        rows.append(row)

    reference = REFERENCE_2500 if args.neurons == 2500 else REFERENCE_12500 if args.neurons == 12500 else None
    print("%-6s %-24s %12s %12s   %s" % ("seed", "statistic", "NEST", "Vesicle", "reference (BENCHMARKS.md)"))
    labels = {"mean_rate_hz": "excitatory rate (Hz)", "mean_cv": "mean CV of ISI", "fano": "Fano (100 ms bins)"}
    for row in rows:
        for key, label in labels.items():
            nest_value = row.get("nest", {}).get(key)
            vesicle_value = row.get("vesicle", {}).get(key)
            ref = reference.get(key) if reference else None
            print("%-6d %-24s %12s %12s   %s" % (row["seed"], label, show(nest_value), show(vesicle_value),
                                                 "%g-%g" % ref if ref else "-"))
        if "nest" in row:
            print("%-6d NEST %s: build %.2f s, simulate %.2f s" % (
                row["seed"], row["nest"].get("nest_version"), row["nest"]["build_s"], row["nest"]["simulate_s"]))
    # Vesicle's whole bench line is kept (timings, event rates) next to the three statistics.
    summary = {"machine": info, "neurons": args.neurons, "regime": args.regime, "duration_ms": args.duration,
               "runs": [{k: (v if k != "vesicle" else {kk: vv for kk, vv in v.items() if kk != "raw"}
                             | {"bench": v.get("raw", {})}) for k, v in row.items()} for row in rows]}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
