using SpikeSim.Simulator.Compute;

namespace SpikeSim.Tests.Support;

/// <summary>Every kernel struct in the simulator, found by reflection, so a new kernel cannot escape the tests.</summary>
public static class KernelCatalog
{
    public static IReadOnlyList<Type> All { get; } = typeof(IKernel).Assembly.GetTypes()
        .Where(t => t.IsValueType && typeof(IKernel).IsAssignableFrom(t))
        .OrderBy(t => t.FullName)
        .ToArray();

    /// <summary>Closed versions of every kernel: generic ones over float, int and byte.</summary>
    public static IEnumerable<Type> Closed()
    {
        foreach (var t in All)
        {
            if (!t.IsGenericTypeDefinition) yield return t;
            else foreach (var arg in new[] { typeof(float), typeof(int), typeof(byte) }) yield return t.MakeGenericType(arg);
        }
    }
}
