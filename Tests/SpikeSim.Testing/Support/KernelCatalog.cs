using System.Reflection;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Tests.Support;

/// <summary>Every kernel struct in an assembly, found by reflection, so a new kernel cannot escape the tests.</summary>
public static class KernelCatalog
{
    /// <summary>The simulator's assembly (the compute core, neuron models, synapses, linear algebra).</summary>
    public static Assembly Simulator => typeof(IKernel).Assembly;

    /// <summary>The trainer's assembly (spiking layers, optimisers, plastic networks).</summary>
    public static Assembly Learning => typeof(SpikeSim.Learning.Surrogates.ISurrogate).Assembly;

    /// <summary>Every kernel in <paramref name="assembly"/>, by full name.</summary>
    public static IReadOnlyList<Type> In(Assembly assembly) => assembly.GetTypes()
        .Where(t => t.IsValueType && typeof(IKernel).IsAssignableFrom(t))
        .OrderBy(t => t.FullName)
        .ToArray();

    /// <summary>The kernels a simulation launches (the equivalence network must reach all of them).</summary>
    public static IReadOnlyList<Type> Simulation { get; } = In(Simulator).Where(t => t.Namespace != "SpikeSim.Simulator.LinearAlgebra").ToArray();

    /// <summary>The kernels of surrogate-gradient training (the training equivalence test must reach all of them).</summary>
    public static IReadOnlyList<Type> Training { get; } = In(Learning).Where(t => t.Namespace != PlasticNetworkNamespace).ToArray();

    /// <summary>The kernels of the spiking plastic network (its own tests must reach all of them).</summary>
    public static IReadOnlyList<Type> PlasticNetwork { get; } = In(Learning).Where(t => t.Namespace == PlasticNetworkNamespace).ToArray();

    private const string PlasticNetworkNamespace = "SpikeSim.Learning.Plasticity.Kernels";

    /// <summary>
    /// Closed versions of <paramref name="kernels"/>: generic ones over float, int and byte, or over each
    /// implementation of their constraint interface where they are generic over a strategy.
    /// </summary>
    public static IEnumerable<Type> Closed(IEnumerable<Type> kernels)
    {
        foreach (var t in kernels)
        {
            if (!t.IsGenericTypeDefinition) { yield return t; continue; }
            var constraint = t.GetGenericArguments()[0].GetGenericParameterConstraints().FirstOrDefault(c => c.IsInterface);
            var arguments = constraint is null
                ? new[] { typeof(float), typeof(int), typeof(byte) }
                : constraint.Assembly.GetTypes().Where(s => s.IsValueType && !s.IsGenericTypeDefinition && constraint.IsAssignableFrom(s)).ToArray();
            foreach (var arg in arguments) yield return t.MakeGenericType(arg);
        }
    }
}
