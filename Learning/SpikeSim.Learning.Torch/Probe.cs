namespace SpikeSim.Learning.Torch;

public static class Probe
{
    public static string Run()
    {
        var a = TorchSharp.torch.ones(2, 3);
        var b = TorchSharp.torch.ones(3, 2, requires_grad: true);
        var c = TorchSharp.torch.matmul(a, b).sum();
        c.backward();
        return $"{c.item<float>()} {b.grad!.sum().item<float>()}";
    }
}
