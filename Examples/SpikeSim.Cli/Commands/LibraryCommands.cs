namespace SpikeSim.Cli.Commands;

/// <summary>
/// The commands of the library itself: <c>train</c>, <c>compare</c>, <c>export</c>, <c>inspect</c>, <c>run</c>,
/// <c>simulate model</c>, <c>bench gemm</c>, <c>bench train</c>, <c>sweep</c> and <c>worker</c>. Registered after the experiments, whose
/// built-in networks, model-file kinds and cluster jobs <c>export</c>, <c>inspect</c> and <c>worker</c> offer.
/// </summary>
internal sealed class LibraryCommands : ICommandSource
{
    /// <inheritdoc />
    public void AddTo(CommandTree tree)
    {
        tree.Add(CommandGroup.Root, TrainCommand.Create());
        tree.Add(CommandGroup.Root, CompareCommand.Create());
        tree.Add(CommandGroup.Root, ModelFileCommands.Export(tree.Networks));
        tree.Add(CommandGroup.Root, ModelFileCommands.Inspect(tree.Inspectors));
        tree.Add(CommandGroup.Root, RunCommand.Create("run", "Run the network of a model file or a NIR file in either engine, and record it"));
        tree.Add(CommandGroup.Simulate, RunCommand.Create("model", "Run a network read from a model file, at the dt it was saved for (the same as spikesim run)"));
        tree.Add(CommandGroup.Bench, BenchTrainCommands.Gemm());
        tree.Add(CommandGroup.Bench, BenchTrainCommands.Train());
        tree.Add(CommandGroup.Root, SweepCommand.Create(() => tree.Root));
        tree.Add(new SweepCommand.PointJob(() => tree.Root));
        tree.Add(new Runs.ComparisonRunJob());
        tree.Add(CommandGroup.Root, WorkerCommand.Create(tree.Jobs));
    }
}
