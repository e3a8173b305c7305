using BenchmarkDotNet.Running;

namespace SpikeSim.Benchmarks;

/// <summary>
/// BenchmarkDotNet benchmarks of the compute core. Run all with
/// <c>dotnet run -c Release --project Tests/SpikeSim.Benchmarks -- --filter '*'</c>
/// (add <c>--job short</c> for a quick look).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
