using System.CommandLine;
using System.Globalization;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// Range checks that run when the command line is parsed, before any work: a value outside its domain is one
/// <c>error:</c> line that names the option, the value and the domain.
/// </summary>
public static class OptionChecks
{
    /// <summary>A finite number in [<paramref name="min"/>, <paramref name="max"/>] (an open end where <paramref name="minExclusive"/>).</summary>
    public static Option<double> Within(this Option<double> option, double min, double max, bool minExclusive = false) => Check(option, value =>
        double.IsFinite(value) && (minExclusive ? value > min : value >= min) && value <= max, Domain(min, max, minExclusive));

    /// <summary>A finite number in [<paramref name="min"/>, <paramref name="max"/>] (an open end where <paramref name="minExclusive"/>).</summary>
    public static Option<float> Within(this Option<float> option, double min, double max, bool minExclusive = false) => Check(option, value =>
        float.IsFinite(value) && (minExclusive ? value > min : value >= min) && value <= max, Domain(min, max, minExclusive));

    /// <summary>An optional finite number in the range, where given.</summary>
    public static Option<double?> Within(this Option<double?> option, double min, double max, bool minExclusive = false) => Check(option, value =>
        value is not { } v || (double.IsFinite(v) && (minExclusive ? v > min : v >= min) && v <= max), Domain(min, max, minExclusive));

    /// <summary>An optional finite number in the range, where given.</summary>
    public static Option<float?> Within(this Option<float?> option, double min, double max, bool minExclusive = false) => Check(option, value =>
        value is not { } v || (float.IsFinite(v) && (minExclusive ? v > min : v >= min) && v <= max), Domain(min, max, minExclusive));

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Within(this Option<int> option, int min, int max = int.MaxValue) => Check(option, value => value >= min && value <= max, Domain(min, max));

    /// <summary>An optional whole number in the range, where given.</summary>
    public static Option<int?> Within(this Option<int?> option, int min, int max = int.MaxValue) => Check(option, value => value is not { } v || (v >= min && v <= max), Domain(min, max));

    /// <summary>A value <paramref name="valid"/> accepts; otherwise the error says it must be <paramref name="domain"/>.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, bool> valid, string domain)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0 || !TryValue(result, out T value)) return;
            if (!valid(value)) result.AddError($"{option.Name} {result.Tokens[^1].Value}: must be {domain}.");
        });
        return option;
    }

    /// <summary>The option's value, or false where its text does not parse (the parser reports that itself).</summary>
    public static bool TryValue<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string Domain(double min, double max, bool minExclusive = false) => (minExclusive, max) switch
    {
        (true, double.MaxValue) => $"a finite number above {Show(min)}",
        (false, double.MaxValue) => $"a finite number of at least {Show(min)}",
        (true, _) => $"above {Show(min)} and at most {Show(max)}",
        _ => $"from {Show(min)} to {Show(max)}",
    };

    private static string Domain(int min, int max) => max == int.MaxValue ? $"a whole number of at least {min}" : $"a whole number from {min} to {max}";

    private static string Show(double x) => x.ToString("g", CultureInfo.InvariantCulture);
}
