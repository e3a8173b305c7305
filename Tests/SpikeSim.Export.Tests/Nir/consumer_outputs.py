"""The outputs of a NIR classifier as snnTorch's or Norse's own importer rebuilds it.

usage: consumer_outputs.py snntorch|norse MODEL.nir IO.h5

Reads the encoded samples from IO.h5 ('encoded': samples x steps x features, float32), imports MODEL.nir with the
consumer's importer (snntorch.import_nir.import_from_nir, or norse.torch.from_nir with its default dt), runs every
sample from a zero state for all its steps, and writes the last node's output at each step to IO.h5 as 'outputs'
(samples x steps x classes). Used by NirPeerTests, which compare the predictions with SpikeSim's own.
"""
import sys

import h5py
import nir
import numpy as np
import torch

consumer, model, io = sys.argv[1:4]
graph = nir.read(model)
with h5py.File(io, "r") as f:
    encoded = torch.from_numpy(f["encoded"][:])
samples, steps, _ = encoded.shape

if consumer == "snntorch":
    from snntorch.import_nir import import_from_nir

    net = import_from_nir(graph)

    def run(batch):
        for module in net.modules():  # init_hidden=True keeps the state inside each Leaky/RLeaky
            if hasattr(module, "reset_mem"):
                module.reset_mem()
        return [net(batch[:, t])[0] for t in range(steps)]

elif consumer == "norse":
    if int(torch.__version__.split(".")[0]) < 2:
        # Debian 12's torch 1.13 has no autograd setup_context, which Norse's SuperSpike uses; its forward is the
        # Heaviside step, restored here in the old calling convention (inference only, no gradients are taken).
        import norse.torch.functional.superspike as superspike
        from norse.torch.functional.heaviside import heaviside

        superspike.SuperSpike.forward = staticmethod(lambda ctx, x, alpha: heaviside(x))
    from norse.torch import from_nir

    net = from_nir(graph)

    def run(batch):
        state, outputs = None, []
        for t in range(steps):
            out, state = net(batch[:, t], state)
            outputs.append(out)
        return outputs

else:
    sys.exit(f"unknown consumer {consumer}")

with torch.no_grad():
    outputs = [torch.stack(run(encoded[i : i + 100]), dim=1) for i in range(0, samples, 100)]
with h5py.File(io, "a") as f:
    f["outputs"] = torch.cat(outputs).numpy().astype(np.float32)
