#!/usr/bin/env python3
"""Run the Brunel (2000) network of docs/BENCHMARKS.md §1 in NEST and in Vesicle and print their
rates, CV of ISI and Fano factors side by side; with `--network microcircuit`, the Potjans &
Diesmann (2014) microcircuit of docs/BENCHMARKS.md §2b (Networks/microcircuit.vsl against NEST's
pynest/examples/Potjans_2014 parameters) with per-population rates and CVs side by side.

    python3 Tools/nest_crosscheck.py [--neurons 2500] [--regime C] [--seeds 1 2 3]
                                     [--vesicle PATH] [--venv DIR] [--skip-vesicle] [--skip-nest]
    python3 Tools/nest_crosscheck.py --network microcircuit [--scale 0.1] [--duration 1000]
                                     [--warmup 500] [--seeds 1 2 3] [--dc]

The microcircuit in NEST follows the example's network.py with N_scaling = scale and K_scaling = 1
(full in-degrees, as the .vsl file): fixed_total_number with round(N_scaling * K_full) synapses,
weights nest.math.redraw(normal(w, 0.1 |w|)) to their sign, delays redraw(normal(d, d/2), min =
0.1 ms), Poisson background 8 Hz x K_ext per neuron (or the compensating DC with --dc), 'optimized'
initial potentials, resolution 0.1 ms. The numbers are copied from the example's network_params.py
and helpers.py, not its code.

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
    """Brunel with iaf_psc_delta (docs/BENCHMARKS.md §1); returns statistics and timings. With `precise`,
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


# Potjans & Diesmann (2014), NEST pynest/examples/Potjans_2014/network_params.py and helpers.py.
MC_POPULATIONS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
MC_N_FULL = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
MC_K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
MC_CONN_PROBS = [
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]]
MC_V0 = [(-68.28, 5.36), (-63.16, 4.57), (-63.33, 4.74), (-63.45, 4.94),
         (-63.11, 4.94), (-61.66, 4.55), (-66.72, 5.46), (-61.43, 4.48)]
MC_PUBLISHED = [0.9, 2.8, 4.4, 5.7, 7.6, 8.7, 1.1, 7.7]


def run_nest_microcircuit(scale, seed, warmup, duration, dc=False, threads=1):
    """The microcircuit in NEST (see the module docstring); per-population rate and CV."""
    import nest
    import numpy as np

    n_full = np.array(MC_N_FULL, dtype=float)
    prod = np.outer(n_full, n_full)
    k_full = np.log(1.0 - np.array(MC_CONN_PROBS)) / np.log((prod - 1.0) / prod)
    num_neurons = np.round(n_full * scale).astype(int)
    num_synapses = np.round(k_full * scale).astype(int)
    tau_m, tau_syn, c_m = 10.0, 0.5, 250.0
    sub = 1.0 / (tau_syn - tau_m)
    pre = tau_m * tau_syn / c_m * sub
    frac = (tau_m / tau_syn) ** sub
    psc_over_psp = 1.0 / (pre * (frac ** tau_m - frac ** tau_syn))
    w = 0.15 * psc_over_psp
    weights = np.zeros((8, 8))
    weights[:, 0::2] = w
    weights[:, 1::2] = -4.0 * w
    weights[0, 2] = 2.0 * w
    delays = np.zeros((8, 8))
    delays[:, 0::2] = 1.5
    delays[:, 1::2] = 0.75
    dc_amp = 8.0 * np.array(MC_K_EXT) * w * tau_syn * 0.001 if dc else np.zeros(8)

    nest.set_verbosity("M_WARNING")
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": 0.1, "rng_seed": seed, "local_num_threads": threads, "print_time": False})
    started = time.time()
    pops = []
    for i in range(8):
        pop = nest.Create("iaf_psc_exp", int(num_neurons[i]))
        pop.set(tau_syn_ex=tau_syn, tau_syn_in=tau_syn, E_L=-65.0, V_th=-50.0, V_reset=-65.0, t_ref=2.0,
                C_m=c_m, tau_m=tau_m, I_e=float(dc_amp[i]))
        pop.set(V_m=nest.random.normal(MC_V0[i][0], MC_V0[i][1]))
        pops.append(pop)
    recorder = nest.Create("spike_recorder", 8, params={"start": warmup, "stop": warmup + duration})
    if not dc:
        background = nest.Create("poisson_generator", 8)
        background.rate = 8.0 * np.array(MC_K_EXT, dtype=float)
    for i, target in enumerate(pops):
        for j, source in enumerate(pops):
            low, high = (-np.inf, 0.0) if weights[i][j] < 0 else (0.0, np.inf)
            syn = {"synapse_model": "static_synapse",
                   "weight": nest.math.redraw(nest.random.normal(mean=weights[i][j], std=abs(weights[i][j] * 0.1)),
                                              min=low, max=high),
                   "delay": nest.math.redraw(nest.random.normal(mean=delays[i][j], std=delays[i][j] * 0.5),
                                             min=0.1, max=np.inf)}
            nest.Connect(source, target, {"rule": "fixed_total_number", "N": int(num_synapses[i][j])}, syn)
        nest.Connect(target, recorder[i])
        if not dc:
            nest.Connect(background[i], target, "all_to_all", {"weight": w, "delay": 1.5})
    built = time.time()
    nest.Simulate(warmup + duration)
    simulated = time.time()
    result = {"build_s": built - started, "simulate_s": simulated - built, "nest_version": nest.__version__,
              "synapses": int(nest.GetKernelStatus("num_connections")), "populations": {}}
    for i, pop in enumerate(pops):
        events = recorder[i].get("events")
        first = pop.tolist()[0]
        trains = [[] for _ in range(len(pop))]
        for sender, t in zip(np.asarray(events["senders"]), np.asarray(events["times"], dtype=float)):
            trains[int(sender) - first].append(t)
        stats = statistics([np.asarray(t) for t in trains], warmup, warmup + duration)
        result["populations"][MC_POPULATIONS[i]] = {"rate_hz": stats["mean_rate_hz"], "cv": stats["mean_cv"]}
    return result


def microcircuit_main(args):
    info = machine()
    print("machine: %d cores, %s" % (info["cores"], info["cpu"]))
    print("command: %s" % " ".join([os.path.relpath(__file__, REPO)] + sys.argv[1:]))
    print("microcircuit, scale %g (K_scaling 1), %s background, %.0f ms warm-up, %.0f ms analysed" % (
        args.scale, "DC" if args.dc else "Poisson", args.warmup, args.duration))
    rows = []
    for seed in args.seeds:
        row = {"seed": seed}
        if not args.skip_nest:
            python = ensure_venv(args.venv)
            command = [python, os.path.abspath(__file__), "--nest-only", "--network", "microcircuit", "--scale", str(args.scale),
                       "--warmup", str(args.warmup), "--duration", str(args.duration), "--seeds", str(seed)]
            if args.dc:
                command.append("--dc")
            output = subprocess.run(command, capture_output=True, text=True)
            if output.returncode != 0:
                raise RuntimeError("NEST run failed:\n" + output.stderr[-4000:])
            row["nest"] = json.loads(output.stdout.strip().splitlines()[-1])
        if not args.skip_vesicle:
            command = [vesicle_binary(args), "bench", "microcircuit", "--scale", str(args.scale), "--seed", str(seed),
                       "--warmup", str(args.warmup), "--duration", str(args.duration)]
            if args.dc:
                command.append("--dc")
            output = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
            if output.returncode != 0:
                raise RuntimeError("%s failed:\n%s" % (" ".join(command), output.stderr[-4000:]))
            bench = json.loads(output.stdout.strip().splitlines()[-1])
            row["vesicle"] = {"bench": bench, "populations": {
                name: {"rate_hz": bench.get("rate_%s_hz" % name), "cv": bench.get("cv_%s" % name)} for name in MC_POPULATIONS}}
        rows.append(row)
    print("%-6s %-6s %10s %10s %10s %8s %8s" % ("seed", "pop", "NEST Hz", "Vesicle Hz", "published", "NEST CV", "Ves. CV"))
    for row in rows:
        for i, name in enumerate(MC_POPULATIONS):
            nest_pop = row.get("nest", {}).get("populations", {}).get(name, {})
            ves_pop = row.get("vesicle", {}).get("populations", {}).get(name, {})
            print("%-6d %-6s %10s %10s %10.1f %8s %8s" % (row["seed"], name, show(nest_pop.get("rate_hz")),
                                                        show(ves_pop.get("rate_hz")), MC_PUBLISHED[i],
                                                        show(nest_pop.get("cv")), show(ves_pop.get("cv"))))
        if "nest" in row:
            print("%-6d NEST %s: build %.1f s, simulate %.1f s, %d connections" % (
                row["seed"], row["nest"]["nest_version"], row["nest"]["build_s"], row["nest"]["simulate_s"],
                row["nest"]["synapses"]))
        if "vesicle" in row:
            bench = row["vesicle"]["bench"]
            print("%-6d Vesicle: build %.1f s, simulate %.1f s, %d synapses" % (
                row["seed"], bench["build_s"], bench["simulate_wall_s"], bench["synapses"]))
    print(json.dumps({"machine": info, "network": "microcircuit", "scale": args.scale, "dc": args.dc,
                      "warmup_ms": args.warmup, "duration_ms": args.duration, "runs": rows}))
    return 0


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
    parser.add_argument("--network", default="brunel", choices=["brunel", "microcircuit"])
    parser.add_argument("--scale", type=float, default=0.1, help="microcircuit neuron-number scale (N_scaling)")
    parser.add_argument("--warmup", type=float, default=500.0, help="microcircuit warm-up (ms)")
    parser.add_argument("--dc", action="store_true", help="microcircuit with DC instead of Poisson background")
    parser.add_argument("--nest-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.network == "microcircuit":
        if args.nest_only:
            print(json.dumps(run_nest_microcircuit(args.scale, args.seeds[0], args.warmup, args.duration, args.dc)))
            return 0
        return microcircuit_main(args)
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
    print("%-6s %-24s %12s %12s   %s" % ("seed", "statistic", "NEST", "Vesicle", "reference (docs/BENCHMARKS.md)"))
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
