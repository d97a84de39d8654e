"""The CUBA network of Vogels & Abbott (2005) / Brette et al. (2007) benchmark 2, after PyNN's
examples/VAbenchmarks.py (IF_curr_exp, exponential current synapses), scaled down to 1 000
neurons with in-degrees kept (p = 0.08). The only line specific to Vesicle is the import."""
import pyNN.vesicle as sim
from pyNN.random import RandomDistribution

n, r_ei, pconn = 1000, 4.0, 0.08
tstop, delay = 500.0, 0.2
area = 20000e-8                      # cm²
cm = 1.0 * area * 1000               # nF
tau_m, E_leak, v_thresh, v_reset, t_refrac = 20.0, -49.0, -50.0, -60.0, 5.0
tau_exc, tau_inh = 5.0, 10.0
Gexc, Ginh, Erev_exc, Erev_inh, v_mean = 0.27, 4.5, 0.0, -80.0, -60.0
w_exc = 1e-3 * Gexc * (Erev_exc - v_mean)   # nA
w_inh = 1e-3 * Ginh * (Erev_inh - v_mean)   # nA
n_exc = int(round(n * r_ei / (1 + r_ei)))
n_inh = n - n_exc
seed = globals().get("SEED", 1)

sim.setup(timestep=0.1, min_delay=delay, max_delay=delay, rng_seed=seed)
cell_params = {"tau_m": tau_m, "tau_syn_E": tau_exc, "tau_syn_I": tau_inh, "v_rest": E_leak,
               "v_reset": v_reset, "v_thresh": v_thresh, "cm": cm, "tau_refrac": t_refrac}
exc_cells = sim.Population(n_exc, sim.IF_curr_exp(**cell_params), label="Excitatory_Cells")
inh_cells = sim.Population(n_inh, sim.IF_curr_exp(**cell_params), label="Inhibitory_Cells")
uniform = RandomDistribution("uniform", low=v_reset, high=v_thresh)
exc_cells.initialize(v=uniform)
inh_cells.initialize(v=uniform)

exc_conn = sim.FixedProbabilityConnector(pconn)
inh_conn = sim.FixedProbabilityConnector(pconn)
exc_syn = sim.StaticSynapse(weight=w_exc, delay=delay)
inh_syn = sim.StaticSynapse(weight=w_inh, delay=delay)
sim.Projection(exc_cells, exc_cells, exc_conn, exc_syn, receptor_type="excitatory")
sim.Projection(exc_cells, inh_cells, exc_conn, exc_syn, receptor_type="excitatory")
sim.Projection(inh_cells, exc_cells, inh_conn, inh_syn, receptor_type="inhibitory")
sim.Projection(inh_cells, inh_cells, inh_conn, inh_syn, receptor_type="inhibitory")

exc_cells.record("spikes")
inh_cells.record("spikes")
exc_cells[[0, 1]].record("v")
sim.run(tstop)

E_rate = exc_cells.mean_spike_count() * 1000.0 / tstop
I_rate = inh_cells.mean_spike_count() * 1000.0 / tstop
data = exc_cells.get_data().segments[0]
sim.end()
