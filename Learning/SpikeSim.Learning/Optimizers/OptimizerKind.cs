namespace SpikeSim.Learning.Optimizers;

/// <summary>The optimisers; on the command line and in files by their <see cref="Training.OptionName"/> (adam, sgd).</summary>
public enum OptimizerKind
{
    /// <summary>Adam with decoupled weight decay (<see cref="Optimizers.Adam"/>).</summary>
    Adam,

    /// <summary>Stochastic gradient descent with momentum (<see cref="SgdMomentum"/>).</summary>
    Sgd,
}
