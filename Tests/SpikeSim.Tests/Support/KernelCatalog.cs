using SpikeSim.Simulator.Compute;

namespace SpikeSim.Tests.Support;

/// <summary>Every kernel struct in SpikeSim's assemblies, found by reflection, so a new kernel cannot escape the tests.</summary>
public static class KernelCatalog
{
    private static readonly System.Reflection.Assembly[] Assemblies =
        [typeof(IKernel).Assembly, typeof(SpikeSim.Learning.Surrogates.ISurrogate).Assembly];

    /// <summary>Every kernel, the simulator's and the trainer's.</summary>
    public static IReadOnlyList<Type> All { get; } = Assemblies.SelectMany(a => a.GetTypes())
        .Where(t => t.IsValueType && typeof(IKernel).IsAssignableFrom(t))
        .OrderBy(t => t.FullName)
        .ToArray();

    /// <summary>The kernels a simulation launches (the equivalence network must reach all of them).</summary>
    public static IReadOnlyList<Type> Simulation { get; } = All
        .Where(t => t.Assembly == typeof(IKernel).Assembly && t.Namespace != "SpikeSim.Simulator.LinearAlgebra")
        .ToArray();

    /// <summary>The kernels of surrogate-gradient training (the training equivalence test must reach all of them).</summary>
    public static IReadOnlyList<Type> Training { get; } = All
        .Where(t => t.Assembly != typeof(IKernel).Assembly && t.Namespace != BackpropamineNamespace).ToArray();

    /// <summary>The kernels of the spiking Backpropamine network (its own tests must reach all of them).</summary>
    public static IReadOnlyList<Type> Backpropamine { get; } = All.Where(t => t.Namespace == BackpropamineNamespace).ToArray();

    private const string BackpropamineNamespace = "SpikeSim.Learning.Backpropamine.Kernels";

    /// <summary>
    /// Closed versions of every kernel: generic ones over float, int and byte, or over each
    /// implementation of their constraint interface where they are generic over a strategy.
    /// </summary>
    public static IEnumerable<Type> Closed()
    {
        foreach (var t in All)
        {
            if (!t.IsGenericTypeDefinition) { yield return t; continue; }
            var constraint = t.GetGenericArguments()[0].GetGenericParameterConstraints().FirstOrDefault(c => c.IsInterface);
            var arguments = constraint is null
                ? new[] { typeof(float), typeof(int), typeof(byte) }
                : constraint.Assembly.GetTypes().Where(s => s.IsValueType && constraint.IsAssignableFrom(s)).ToArray();
            foreach (var arg in arguments) yield return t.MakeGenericType(arg);
        }
    }
}
