namespace SpikeSim.Cli.Commands;

/// <summary>
/// Something that contributes commands to <c>spikesim</c>: the library's own commands, and each experiment under
/// <c>Experiments/</c>. The program builds its command tree from one explicit list of sources, so adding an
/// experiment adds one line there and touches no other command.
/// </summary>
public interface ICommandSource
{
    /// <summary>Adds this source's commands (and any built-in networks or file inspectors) to <paramref name="tree"/>.</summary>
    void AddTo(CommandTree tree);
}
