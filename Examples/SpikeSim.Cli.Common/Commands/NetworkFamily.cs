namespace SpikeSim.Cli.Commands;

/// <summary>Which kind of network a command trains: <c>train --model</c>, <c>meta backpropamine --path</c>.</summary>
public enum NetworkFamily
{
    /// <summary>A spiking network on SpikeSim's compute core.</summary>
    Snn,

    /// <summary>A rate network in TorchSharp.</summary>
    Ann,
}
