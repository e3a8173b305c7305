"""Potjans and Diesmann's (2014) cortical microcircuit in Brian2, the reference run that SpikeSim's
`bench microcircuit` is compared against on the same machine.

Setup (Debian's Brian2 and the system Python):   apt-get install -y python3-brian
Run:   /usr/bin/python3 microcircuit_brian2.py [--mode standalone|cython|numpy] [--threads 1] [--scale 0.1]
          [--k-scale 1] [--input poisson|dc] [--duration-ms 1000] [--transient-ms 100] [--seed 1] [--workdir DIR]
Prints one JSON line: mode, threads, n, synapses, spikes, rates_hz (per population, after the transient),
run_s (simulation only: code generation, compilation and synapse creation excluded), wall_s.

The model and its derived parameters follow the PyNEST implementation (INM-6/microcircuit-PD14-model @fd40046e,
PyNEST/src/microcircuit/network_params.py, network.py, helpers.py), as SpikeSim's PotjansDiesmann2014.cs does:
iaf_psc_exp neurons (C_m 250 pF, tau_m 10 ms, tau_syn 0.5 ms, E_L = V_reset = -65 mV, V_th -50 mV, t_ref 2 ms),
fixed_total_number connectivity with multapses, weights N(J, (0.1 J)^2) redrawn to keep their sign, delays
N(d, (d/2)^2) redrawn below dt/2 and rounded to the grid, Poisson background (PoissonInput, K_ext x 8 Hz) or DC,
van Albada's compensation for --k-scale < 1. Brian2, like NEST, applies a spike's current jump after the neuron
update of its arrival step, so the delays are NEST's as they are. The random realisation differs from SpikeSim's
(numpy's generator, not SpikeSim's counter-based streams): rates agree statistically, spikes do not.
"""
import argparse, json, tempfile, time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--mode", default="standalone", choices=["standalone", "cython", "numpy"])
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--scale", type=float, default=0.1)
ap.add_argument("--k-scale", type=float, default=1.0)
ap.add_argument("--input", default="poisson", choices=["poisson", "dc"])
ap.add_argument("--duration-ms", type=float, default=1000.0)
ap.add_argument("--transient-ms", type=float, default=100.0)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--workdir", default=None)
a = ap.parse_args()

from brian2 import (Network, NeuronGroup, PoissonInput, Synapses, SpikeMonitor, defaultclock, device, ms, mV, pA, pF, Hz,
                    prefs, seed, set_device)

if a.mode == "standalone":
    workdir = a.workdir or tempfile.mkdtemp(prefix="microcircuit_brian2_")
    set_device("cpp_standalone", directory=workdir, build_on_run=True)
    prefs.devices.cpp_standalone.openmp_threads = a.threads
else:
    prefs.codegen.target = a.mode

names = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
full_n = np.array([20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])
full_rates = np.array([0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829])
p = np.array([[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
              [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
              [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
              [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
              [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
              [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
              [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
              [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]])
k_ext_full = np.array([1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100])
v0_mean = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]
v0_sd = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]
C_m, tau_m, tau_s, t_ref, E_L, V_th, V_reset = 250.0, 10.0, 0.5, 2.0, -65.0, -50.0, -65.0
psp_e, w_rel_sd, g, bg_rate, d_exc, d_inh, d_rel_sd, dt = 0.15, 0.1, -4.0, 8.0, 1.5, 0.75, 0.5, 0.1

# network.py __derive_parameters and helpers.py
prod = np.outer(full_n, full_n)
full_syn = np.log(1.0 - p) / np.log((prod - 1.0) / prod)
n = np.round(full_n * a.scale).astype(int)
syn = np.round(full_syn * a.scale * a.k_scale).astype(int)
k_ext = np.round(k_ext_full * a.k_scale).astype(int)
sub = 1.0 / (tau_s - tau_m)
frac = (tau_m / tau_s) ** sub
psc_over_psp = 1.0 / (tau_m * tau_s / C_m * sub * (frac ** tau_m - frac ** tau_s))
psp = np.zeros((8, 8)); psp[:, 0::2] = psp_e; psp[:, 1::2] = psp_e * g; psp[0, 2] = 2 * psp_e
w = psp * psc_over_psp
w_ext = psp_e * psc_over_psp
dc = np.zeros(8) if a.input == "poisson" else bg_rate * k_ext_full * w_ext * tau_s * 0.001
if a.k_scale != 1:
    indegree = full_syn / full_n[:, np.newaxis]
    dc = dc + 0.001 * tau_s * (1 - np.sqrt(a.k_scale)) * np.sum(w * indegree * full_rates, axis=1)
    if a.input == "poisson":
        dc = dc + 0.001 * tau_s * (1 - np.sqrt(a.k_scale)) * w_ext * k_ext_full * bg_rate
    w = w / np.sqrt(a.k_scale)
    w_ext = w_ext / np.sqrt(a.k_scale)

rng = np.random.default_rng(a.seed)


def redrawn_normal(mean, sd, count, low, high):
    x = rng.normal(mean, sd, count)
    bad = (x < low) | (x > high)
    while bad.any():
        x[bad] = rng.normal(mean, sd, bad.sum())
        bad = (x < low) | (x > high)
    return x


start = np.concatenate([[0], np.cumsum(n)])
defaultclock.dt = dt * ms
seed(a.seed)
# Brian2 resolves these names from the group's namespace; the module's floats of the same names are only parameters.
eqs = """dv/dt = (E_L - v) / tau_m + (I_syn + I_e) / C_m : volt (unless refractory)
dI_syn/dt = -I_syn / tau_s : amp
I_e : amp"""
ns = {"E_L": E_L * mV, "tau_m": tau_m * ms, "C_m": C_m * pF, "tau_s": tau_s * ms}
neurons = NeuronGroup(int(n.sum()), eqs, threshold="v >= V_th", reset="v = V_reset", refractory=t_ref * ms,
                      method="exact", namespace={**ns, "V_th": V_th * mV, "V_reset": V_reset * mV})
v0 = np.concatenate([rng.normal(v0_mean[i], v0_sd[i], n[i]) for i in range(8)])
neurons.v = v0 * mV
neurons.I_e = np.repeat(dc, n) * pA
pops = [neurons[start[i]:start[i + 1]] for i in range(8)]
inputs = []
if a.input == "poisson":
    inputs = [PoissonInput(pops[i], "I_syn", N=int(k_ext[i]), rate=bg_rate * Hz, weight=w_ext * pA) for i in range(8)]
sources, targets, weights, delays = [], [], [], []
for i in range(8):
    for j in range(8):
        if syn[i, j] == 0:
            continue
        sources.append(start[j] + rng.integers(0, n[j], syn[i, j]))
        targets.append(start[i] + rng.integers(0, n[i], syn[i, j]))
        mean = w[i, j]
        weights.append(redrawn_normal(mean, abs(mean) * w_rel_sd, syn[i, j], 0 if mean >= 0 else -np.inf, np.inf if mean >= 0 else 0))
        d = d_exc if j % 2 == 0 else d_inh
        delays.append(np.round(redrawn_normal(d, d * d_rel_sd, syn[i, j], 0.5 * dt, np.inf) / dt) * dt)
S = Synapses(neurons, neurons, "w : amp", on_pre="I_syn_post += w")
S.connect(i=np.concatenate(sources), j=np.concatenate(targets))
S.w = np.concatenate(weights) * pA
S.delay = np.concatenate(delays) * ms
mon = SpikeMonitor(neurons)
t0 = time.time()
Network(neurons, S, mon, *inputs).run(a.duration_ms * ms, report=None)
wall = time.time() - t0
run_s = device._last_run_time if a.mode == "standalone" else wall
t, i = np.asarray(mon.t / ms), np.asarray(mon.i)
late = i[t >= a.transient_ms]
seconds = (a.duration_ms - a.transient_ms) / 1000.0
rates = {names[k]: float(((late >= start[k]) & (late < start[k + 1])).sum() / n[k] / seconds) for k in range(8)}
print(json.dumps({"mode": a.mode, "threads": a.threads, "n": int(n.sum()), "synapses": int(syn.sum()),
                  "spikes": int(len(i)), "rates_hz": rates, "run_s": run_s, "wall_s": wall}))
