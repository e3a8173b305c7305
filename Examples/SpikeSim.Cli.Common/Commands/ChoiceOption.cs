using System.CommandLine;
using System.CommandLine.Parsing;
using SpikeSim.Learning.Training;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// An option naming one member of <typeparamref name="T"/> by its <see cref="OptionName"/> (lif, spike-times). The help
/// lists the names and gives the default in the same spelling; another name is a parse error that lists them.
/// </summary>
public sealed class ChoiceOption<T> where T : struct, Enum
{
    private readonly T? _fallback;

    /// <param name="name">The option, with its dashes.</param>
    /// <param name="description">What it chooses.</param>
    /// <param name="fallback">The member when the option is not given; null where the default depends on other options.</param>
    /// <param name="required">Whether the option must be given.</param>
    public ChoiceOption(string name, string description, T? fallback = null, bool required = false)
    {
        _fallback = fallback;
        Option = new Option<T?>(name)
        {
            Description = fallback is { } f ? $"{description} [default: {OptionName.Of(f)}]" : description,
            HelpName = string.Join('|', OptionName.All<T>()),
            CustomParser = result => Parse(result, name),
            Required = required,
        };
        Option.CompletionSources.Add(OptionName.All<T>().ToArray());
    }

    /// <summary>The option to add to a command.</summary>
    public Option<T?> Option { get; }

    /// <summary>The member given on the command line, or null.</summary>
    public T? Given(ParseResult parse) => parse.GetValue(Option);

    /// <summary>The member given, else the fallback (a required option is always given).</summary>
    public T From(ParseResult parse) => Given(parse) ?? _fallback
        ?? throw new InvalidOperationException($"{Option.Name} was not given and has no fallback; use {nameof(Given)}.");

    /// <summary>
    /// An option naming several members, comma-separated (<c>none,modulated</c>), empty where not given; an unknown
    /// name is a parse error that lists the choices.
    /// </summary>
    public static Option<T[]> List(string name, string description)
    {
        var option = new Option<T[]>(name)
        {
            Description = description,
            HelpName = string.Join(',', OptionName.All<T>()),
            DefaultValueFactory = _ => [],
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0) return [];
                try
                {
                    return result.Tokens[^1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                        .Select(n => OptionName.Parse<T>(n, name)).ToArray();
                }
                catch (ArgumentException e)
                {
                    result.AddError(e.Message);
                    return [];
                }
            },
        };
        return option;
    }

    private static T? Parse(ArgumentResult result, string name)
    {
        try
        {
            return OptionName.Parse<T>(result.Tokens[^1].Value, name);
        }
        catch (ArgumentException e)
        {
            result.AddError(e.Message);
            return null;
        }
    }
}
