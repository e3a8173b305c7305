namespace SpikeSim.Cli.Commands;

/// <summary>The ready-made networks <c>spikesim export --network</c> writes.</summary>
internal enum BuiltinNetwork
{
    /// <summary>Vogels and Abbott's CUBA benchmark.</summary>
    Cuba,

    /// <summary>Brunel's (2000) network, regime D.</summary>
    Brunel,

    /// <summary>Izhikevich's (2007) distal-reward network.</summary>
    DistalReward,
}
