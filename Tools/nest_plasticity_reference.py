#!/usr/bin/env python3
"""Reference numbers for Vesicle's STDP and Tsodyks-Markram synapses from NEST.

Run in a virtualenv with NEST (tested with nest-simulator 3.10.0 from PyPI):

    python3 -m venv .venv-nest && .venv-nest/bin/pip install nest-simulator
    .venv-nest/bin/python Tools/nest_plasticity_reference.py

Every case drives a pair of parrot neurons from spike generators, so that the pre- and postsynaptic
spike times are exactly the given ones (generator time + 1 ms), and records, with a weight_recorder,
the weight each presynaptic spike transmits. The plastic connection goes to receptor 1 of the
postsynaptic parrot, which does not repeat it. The printed lists are pinned in
Tests/VesicleEngineTests/PlasticityNESTTests.swift.

Case "offgrid" uses precise spike times (parrot_neuron_ps): NEST's stdp_synapse then takes the
presynaptic spike's grid stamp, not its exact time (nest-simulator #2176), so its weight differs from
the closed form; the test shows Vesicle's matching the closed form instead.
"""
import math
import random

import nest

nest.set_verbosity("M_ERROR")


def run(model, params, pre, post, delay, tau_minus=20.0, precise=False, weight=None, duration=None):
    nest.ResetKernel()
    nest.resolution = 0.1
    parrot = "parrot_neuron_ps" if precise else "parrot_neuron"
    gens = {"precise_times": True} if precise else {}
    gpre = nest.Create("spike_generator", params=dict(spike_times=[t - 1.0 for t in pre], **gens))
    gpost = nest.Create("spike_generator", params=dict(spike_times=[t - 1.0 for t in post], **gens))
    a = nest.Create(parrot)
    b = nest.Create(parrot, params={"tau_minus": tau_minus})
    nest.Connect(gpre, a, syn_spec={"delay": 1.0})
    nest.Connect(gpost, b, syn_spec={"delay": 1.0})
    wr = nest.Create("weight_recorder")
    nest.CopyModel(model, "plastic", {"weight_recorder": wr})
    syn = dict(params, synapse_model="plastic", receptor_type=1, delay=delay)
    if weight is not None:
        syn["weight"] = weight
    nest.Connect(a, b, syn_spec=syn)
    nest.Simulate(duration or (max(pre + post) + delay + 5.0))
    events = wr.get("events")
    return list(zip(events["times"], events["weights"]))


def grid(xs):
    return [round(x, 1) for x in xs]


def show(name, pre, post, result):
    print(f"// {name}")
    print(f"pre = {pre}")
    print(f"post = {post}")
    print("transmitted = [" + ", ".join(f"{w:.17g}" for _, w in result) + "]")
    print()


def main():
    rng = random.Random(20)
    delay = 1.5
    pre = grid(sorted(rng.sample(range(50, 3000, 7), 40)))
    pre = [t / 10 for t in sorted(rng.sample(range(50, 3000), 40))]
    post = []
    for t in sorted(rng.sample(range(80, 3000), 30)):
        s = t / 10
        # No ties at the synapse (t_post + d = t_pre): both simulators resolve them, but a tie is a
        # single rounding away from a pairing at offset 0.
        if all(abs(s + delay - p) > 0.05 for p in pre) and all(abs(s - q) > 2.5 for q in post):
            post.append(s)
    post = [round(s, 1) for s in post]
    pre = [round(s, 1) for s in pre]
    stdp = dict(tau_plus=16.8, **{"lambda": 0.05}, alpha=1.2, mu_plus=1.0, mu_minus=1.0, Wmax=10.0)
    show("stdp_synapse, multiplicative, all-to-all, tau_minus 33.7, w0 5, delay 1.5",
         pre, post, run("stdp_synapse", stdp, pre, post, delay, tau_minus=33.7, weight=5.0))
    additive = dict(tau_plus=16.8, **{"lambda": 0.3}, alpha=0.9, mu_plus=0.0, mu_minus=0.0, Wmax=10.0)
    show("stdp_synapse, additive, all-to-all, tau_minus 33.7, w0 5, delay 1.5",
         pre, post, run("stdp_synapse", additive, pre, post, delay, tau_minus=33.7, weight=5.0))
    nn_post = [s for s in post if s + delay > pre[0] + 0.05]
    show("stdp_nn_symm_synapse, multiplicative, tau_minus 33.7, w0 5, delay 1.5 (no post spike before the first pre)",
         pre, nn_post, run("stdp_nn_symm_synapse", stdp, pre, nn_post, delay, tau_minus=33.7, weight=5.0))
    train = [round(t, 1) for t in [5.0, 12.3, 13.1, 40.0, 41.7, 47.2, 200.0, 201.5, 203.9, 900.0]]
    show("tsodyks2_synapse U 0.3 tau_rec 150 tau_fac 420, weight 2, delay 1.5", train, [],
         run("tsodyks2_synapse", dict(U=0.3, u=0.3, x=1.0, tau_rec=150.0, tau_fac=420.0), train, [], delay, weight=2.0))
    show("tsodyks2_synapse U 0.5 tau_rec 800 tau_fac 0 (defaults), weight 2, delay 1.5", train, [],
         run("tsodyks2_synapse", {}, train, [], delay, weight=2.0))
    # Off the grid: pre at 11.03 ms, post at 20.0 ms, a last pre at 300 ms to read the facilitation.
    off_pre, off_post = [11.03, 300.0], [20.0]
    result = run("stdp_synapse", dict(tau_plus=20.0, **{"lambda": 0.1}, alpha=1.0, mu_plus=0.0, mu_minus=0.0, Wmax=10.0),
                 off_pre, off_post, 1.0, tau_minus=20.0, precise=True, weight=5.0)
    show("offgrid: stdp_synapse additive, lambda 0.1, tau 20, delay 1, w0 5, parrot_neuron_ps", off_pre, off_post, result)
    closed = 5.0 + 0.1 * 10.0 * math.exp(-(20.0 + 1.0 - 11.03) / 20.0)
    closed -= 0.1 * 10.0 * math.exp(-(300.0 - 20.0 - 1.0) / 20.0)
    print(f"// closed form after the pairing at the exact offset 9.97 ms and the last pre spike: {closed:.17g}")


if __name__ == "__main__":
    main()
