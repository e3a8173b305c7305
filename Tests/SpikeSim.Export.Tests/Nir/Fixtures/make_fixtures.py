"""Writes the NIR fixtures exactly as snnTorch's own export_to_nir lays them out.

Run with Debian's python3-torch and the sources of nir, nirtorch and snntorch on PYTHONPATH (docs/nir.md):
    PYTHONPATH=~/nir-peers /usr/bin/python3 make_fixtures.py
Made with snnTorch 634fc22, nirtorch 2604ce2 and nir 7232ada on torch 1.13.1.
"""
import nir
import snntorch as snn
import torch
from snntorch.export_nir import export_to_nir

torch.manual_seed(0)
# Per-neuron beta and threshold on the Leaky: with scalars snnTorch writes fields of shapes () and (1,), which its own
# export then fails to type-check.
net = torch.nn.Sequential(
    torch.nn.Linear(2, 3),
    snn.RLeaky(beta=0.9, linear_features=3, init_hidden=True),
    torch.nn.Linear(3, 2),
    snn.Leaky(beta=torch.full((2,), 0.8), threshold=torch.ones(2), init_hidden=True, output=True),
)
graph = export_to_nir(net, torch.randn(2), model_name="snntorch")
nir.version = getattr(nir, "version", "1.0.7")  # set by the installed package's metadata, absent from a source checkout
nir.write("rleaky_snntorch.nir", graph)
