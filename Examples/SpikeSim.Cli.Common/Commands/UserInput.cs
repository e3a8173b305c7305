using SpikeSim.Simulator.Errors;

namespace SpikeSim.Cli.Commands;

/// <summary>Library parsers report a bad user value as <see cref="ArgumentException"/>; the CLI reports it as a parameter error (one line, exit code 2).</summary>
public static class UserInput
{
    /// <summary>Runs <paramref name="parse"/>, turning its <see cref="ArgumentException"/> into <see cref="InvalidParameterException"/>.</summary>
    public static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            throw new InvalidParameterException(e.Message);
        }
    }
}
