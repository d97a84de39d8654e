"""A Brunel (2000) network in PyNN, regime AI (g = 5, eta = 2), after PyNN's examples/brunel.py
with delta synapses (IF_curr_delta) and fixed in-degrees, at a small size. The only line specific
to Vesicle is the import."""
import pyNN.vesicle as sim
from pyNN.random import RandomDistribution

order = 250
NE, NI = 4 * order, order
epsilon = 0.1
CE, CI = int(epsilon * NE), int(epsilon * NI)
g, eta = 5.0, 2.0
J = 0.2            # mV
delay = 1.5        # ms
tau_m, theta, V_r, t_ref = 20.0, 20.0, 10.0, 2.0
nu_thr = theta / (J * CE * tau_m)           # kHz
p_rate = 1000.0 * eta * nu_thr               # Hz, one Poisson source per neuron with CE inputs' worth
simtime = 500.0
seed = globals().get("SEED", 1)

sim.setup(timestep=0.1, rng_seed=seed)
cell = sim.IF_curr_delta(tau_m=tau_m, cm=0.25, v_rest=0.0, v_reset=V_r, v_thresh=theta, tau_refrac=t_ref)
E = sim.Population(NE, cell, label="E")
I = sim.Population(NI, cell, label="I")
for population in (E, I):
    population.initialize(v=RandomDistribution("uniform", low=0.0, high=theta))
noise_E = sim.Population(NE, sim.SpikeSourcePoisson(rate=p_rate * CE), label="noise_E")
noise_I = sim.Population(NI, sim.SpikeSourcePoisson(rate=p_rate * CE), label="noise_I")

excitatory = sim.StaticSynapse(weight=J, delay=delay)
inhibitory = sim.StaticSynapse(weight=-g * J, delay=delay)
sim.Projection(E, E, sim.FixedNumberPreConnector(CE), excitatory, receptor_type="excitatory")
sim.Projection(E, I, sim.FixedNumberPreConnector(CE), excitatory, receptor_type="excitatory")
sim.Projection(I, E, sim.FixedNumberPreConnector(CI), inhibitory, receptor_type="inhibitory")
sim.Projection(I, I, sim.FixedNumberPreConnector(CI), inhibitory, receptor_type="inhibitory")
sim.Projection(noise_E, E, sim.OneToOneConnector(), excitatory, receptor_type="excitatory")
sim.Projection(noise_I, I, sim.OneToOneConnector(), excitatory, receptor_type="excitatory")

E.record("spikes")
I.record("spikes")
E[0:2].record("v")
sim.run(simtime)

data_E = E.get_data().segments[0]
data_I = I.get_data().segments[0]
rate_E = E.mean_spike_count() * 1000.0 / simtime
rate_I = I.mean_spike_count() * 1000.0 / simtime
sim.end()
