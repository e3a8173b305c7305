using System.CommandLine;
using System.Text.RegularExpressions;

namespace SpikeSim.Cli;

/// <summary>
/// The first parse error in words a user reads: an unknown command or option with the nearest name suggested, a value
/// that does not parse with the kind of value expected (no .NET type names).
/// </summary>
internal static partial class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        var unknown = parse.Errors.Select(e => Unrecognized().Match(e.Message)).FirstOrDefault(m => m.Success);
        if (unknown is not null)
        {
            var token = unknown.Groups[1].Value;
            var command = parse.CommandResult.Command;
            var names = token.StartsWith('-')
                ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
                : command.Subcommands.Select(c => c.Name);
            var nearest = names.Select(n => (Name: n, Distance: Distance(token, n))).Where(x => x.Distance <= Math.Max(2, token.Length / 3))
                .OrderBy(x => x.Distance).Select(x => x.Name).FirstOrDefault();
            var what = token.StartsWith('-') ? "option" : "command";
            var where = command.Parents.Any() ? $"spikesim {Path(command)}" : "spikesim";
            return $"Unknown {what} '{token}' for {where}" + (nearest is null ? "." : $"; did you mean '{nearest}'?");
        }
        var message = parse.Errors[0].Message;
        var conversion = CannotParse().Match(message);
        if (conversion.Success)
            return $"{conversion.Groups[2].Value} '{conversion.Groups[1].Value}' is not {Kind(conversion.Groups[3].Value)}.";
        return message;
    }

    private static string Path(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c && c.Parents.Any(); s = c.Parents.FirstOrDefault()) names.Insert(0, c.Name);
        return string.Join(' ', names);
    }

    // System.CommandLine names the expected .NET type; say what kind of value it is.
    private static string Kind(string type)
    {
        var inner = NullableOf().Match(type) is { Success: true } m ? m.Groups[1].Value : type;
        return inner switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.UInt32" or "System.UInt64" => "a whole number of at least 0",
            "System.Single" or "System.Double" => "a number",
            "System.Boolean" => "true or false",
            _ => "a value of the kind expected",
        };
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^System\.Nullable`1\[(.*)\]$")]
    private static partial Regex NullableOf();
}
