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
# An image classifier's Input node names its shape (C, H, W); the encoded values are that image, row-major.
(shape,) = [node.input_type["input"] for node in graph.nodes.values() if isinstance(node, nir.Input)]
encoded = encoded.reshape(samples, steps, *[int(d) for d in shape])

if consumer == "snntorch":
    from snntorch.import_nir import import_from_nir

    net = import_from_nir(graph)

    def reset():
        for module in net.modules():  # init_hidden=True keeps the state inside each Leaky/RLeaky
            if hasattr(module, "reset_mem"):
                module.reset_mem()

    def run(batch):
        if len(shape) == 1:
            reset()
            return [net(batch[:, t])[0] for t in range(steps)]
        # An image classifier runs one sample at a time: the importer (634fc22) builds torch.nn.Flatten(start_dim,
        # end_dim) from NIR's dims, which count no batch dimension (snnTorch's own export_to_nir writes torch's
        # Flatten(1) as start_dim 0), so a batched input would be flattened across samples.
        per_sample = []
        for sample in batch:
            reset()
            per_sample.append(torch.stack([net(sample[t])[0] for t in range(steps)]))
        return list(torch.stack(per_sample).unbind(1))

elif consumer == "norse":
    if int(torch.__version__.split(".")[0]) < 2:
        # Debian 12's torch 1.13 has no autograd setup_context, which Norse's SuperSpike uses; its forward is the
        # Heaviside step, restored here in the old calling convention (inference only, no gradients are taken).
        import norse.torch.functional.superspike as superspike
        from norse.torch.functional.heaviside import heaviside

        superspike.SuperSpike.forward = staticmethod(lambda ctx, x, alpha: heaviside(x))
    from norse.torch import from_nir

    net = from_nir(graph)

    def run_steps(frames):
        state, outputs = None, []
        for x in frames:
            out, state = net(x, state)
            outputs.append(out)
        return outputs

    def run(batch):
        if len(shape) == 1:
            return run_steps([batch[:, t] for t in range(steps)])
        # One image at a time: Norse's importer (065a3b45) builds torch.nn.Flatten(start_dim, end_dim) from NIR's dims,
        # which count no batch dimension, as snnTorch's does.
        return list(torch.stack([torch.stack(run_steps(list(sample))) for sample in batch]).unbind(1))

else:
    sys.exit(f"unknown consumer {consumer}")

with torch.no_grad():
    outputs = [torch.stack(run(encoded[i : i + 100]), dim=1) for i in range(0, samples, 100)]
with h5py.File(io, "a") as f:
    f["outputs"] = torch.cat(outputs).numpy().astype(np.float32)
