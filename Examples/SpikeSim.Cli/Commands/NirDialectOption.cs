using System.CommandLine;
using SpikeSim.Export.Nir;
using SpikeSim.Learning.Training;

namespace SpikeSim.Cli.Commands;

/// <summary>An option naming a NIR consumer or producer (<see cref="NirDialect.All"/>): <c>--nir-for</c>, <c>--nir-from</c>.</summary>
internal static class NirDialectOption
{
    /// <summary>The option; an unknown name is a parse error listing the dialects.</summary>
    public static Option<string?> Create(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join('|', NirDialect.All.Select(d => d.Name)) };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } given && NirDialect.All.All(d => d.Name != given))
                result.AddError($"Unknown {name} '{given}'; choose {OptionName.Choices(NirDialect.All.Select(d => d.Name).ToArray())}.");
        });
        return option;
    }

    /// <summary>The dialect given, or null.</summary>
    public static NirDialect? From(ParseResult parse, Option<string?> option) => parse.GetValue(option) is { } name ? NirDialect.Named(name) : null;
}
