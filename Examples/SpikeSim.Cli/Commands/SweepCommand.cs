using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpikeSim.Cli.Output;
using SpikeSim.Cluster;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// <c>spikesim sweep --set NAME=V1,V2,… [--set …] [--cluster …] [--json FILE] [--markdown FILE] -- COMMAND …</c>:
/// runs one <c>simulate</c> or <c>train</c> command at every point of a grid of option values (the product of the
/// <c>--set</c> lists), on this process or on the workers of a cluster, and gathers each point's JSON into one file and
/// one table.
/// </summary>
internal static class SweepCommand
{
    /// <summary>The cluster job behind a sweep: one point's argument list in, the command's JSON (or its error) out.</summary>
    public sealed class PointJob(Func<RootCommand> root) : IClusterJob
    {
        public string Name => "sweep-point";

        public Func<byte[], byte[]> Open(string parameters) => item => Encoding.UTF8.GetBytes(Run(root(), JsonSerializer.Deserialize<string[]>(item)!));

        /// <summary>Runs one point in this process: the command with <c>--json</c> to a fresh file, whose text is the result.</summary>
        public static string Run(RootCommand root, string[] args)
        {
            var folder = Directory.CreateTempSubdirectory("spikesim-sweep-").FullName;
            try
            {
                var json = Path.Combine(folder, "point.json");
                var parse = root.Parse([.. args, "--json", json]);
                if (parse.Errors.Count > 0) return Error(ParseErrors.Describe(parse));
                var code = parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
                return code == 0 && File.Exists(json) ? File.ReadAllText(json) : Error($"exit code {code}");
            }
            catch (Exception e) when (Program.Unwrap(e) is SpikeSimException or IOException)
            {
                return Error(Program.Unwrap(e).Message);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        private static string Error(string message) => new JsonObject { ["error"] = message }.ToJsonString();
    }

    public static Command Create(Func<RootCommand> root)
    {
        var set = new Option<string[]>("--set")
        {
            Description = "NAME=V1,V2,…: the values of the command's option --NAME to sweep; several --set make a grid (their product)",
            Required = true, AllowMultipleArgumentsPerToken = false,
        };
        var cluster = new ClusterOption(new PointJob(root));
        var json = OutputFile.Create("--json", "Write every point (its option values and the command's JSON) as JSON to FILE");
        var markdown = OutputFile.Create("--markdown", "Write a table of the points (the swept values and the command's numeric results) as markdown to FILE");
        var command = new Argument<string[]>("command") { Description = "After --: the simulate or train command to sweep, without --json", Arity = ArgumentArity.OneOrMore };
        var sweep = new Command("sweep", "Run a simulate or train command over a grid of option values, locally or on a cluster, and gather the results")
        {
            set, json, markdown, command,
        };
        cluster.AddTo(sweep);
        sweep.SetAction(parse =>
        {
            var baseArgs = parse.GetValue(command)!;
            if (baseArgs[0] is not ("simulate" or "train"))
                throw new InvalidParameterException($"sweep runs a simulate or train command (after --), not '{baseArgs[0]}'.");
            if (baseArgs.Contains("--json")) throw new InvalidParameterException("the swept command's --json is the sweep's own: give --json to sweep instead.");
            var axes = parse.GetValue(set)!.Select(Axis).ToArray();
            if (axes.Select(a => a.Name).Distinct().Count() != axes.Length) throw new InvalidParameterException("each --set names a different option.");
            var points = axes.Aggregate(new[] { Array.Empty<string>() }, (grid, axis) => [.. grid.SelectMany(p => axis.Values.Select(v => (string[])[.. p, v]))]);
            var lines = points.Select(p => With(baseArgs, axes, p)).ToArray();
            // Every point must parse before any runs: a typo in the tenth value is found now, not after nine runs.
            foreach (var line in lines)
                if (root().Parse([.. line, "--json", "x.json"]) is { Errors.Count: > 0 } bad)
                    throw new InvalidParameterException($"{string.Join(' ', line)}: {ParseErrors.Describe(bad)}");
            Console.WriteLine($"sweep: {points.Length} point{(points.Length == 1 ? "" : "s")} of {string.Join(' ', baseArgs)} over {string.Join(" × ", axes.Select(a => $"{a.Name} ({a.Values.Length})"))}");
            using var session = cluster.Start(parse);
            string[] results;
            if (session is null)
                results = [.. lines.Select((line, k) =>
                {
                    Console.WriteLine($"point {k + 1}/{lines.Length}: {string.Join(' ', line)}");
                    return PointJob.Run(root(), line);
                })];
            else
            {
                var done = session.RunAll("sweep-point", "", [.. lines.Select(l => JsonSerializer.SerializeToUtf8Bytes(l))]);
                results = [.. done.Select(Encoding.UTF8.GetString)];
                Console.WriteLine($"workers: {session.LastRound}");
            }
            var rows = points.Select((p, k) => (Values: p, Result: JsonNode.Parse(results[k])!.AsObject())).ToArray();
            var failed = rows.Count(r => r.Result.ContainsKey("error"));
            Console.WriteLine(Table(axes, rows));
            if (failed > 0) Console.WriteLine($"{failed} of {rows.Length} points failed (their error is in the table and the JSON)");
            if (parse.GetValue(json) is { } file)
                AtomicFile.WriteAllText(file, new JsonObject
                {
                    ["command"] = string.Join(' ', baseArgs),
                    ["parameters"] = new JsonArray([.. axes.Select(a => JsonValue.Create(a.Name))]),
                    ["points"] = new JsonArray([.. rows.Select(r => new JsonObject
                    {
                        ["values"] = new JsonObject(axes.Select((a, i) => KeyValuePair.Create(a.Name, (JsonNode?)JsonValue.Create(r.Values[i])))),
                        ["result"] = r.Result.DeepClone(),
                    })]),
                }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
            if (parse.GetValue(markdown) is { } md) AtomicFile.WriteAllText(md, Table(axes, rows));
            return failed == 0 ? 0 : 1;
        });
        return sweep;
    }

    private sealed record SweepAxis(string Name, string[] Values);

    private static SweepAxis Axis(string text)
    {
        var equals = text.IndexOf('=');
        var values = equals > 0 ? text[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries) : [];
        if (equals <= 0 || values.Length == 0 || values.Any(v => v.Length == 0))
            throw new InvalidParameterException($"--set '{text}': expected NAME=V1,V2,… (say --set n=1000,4000 for the command's --n).");
        return new SweepAxis(text[..equals].TrimStart('-'), values);
    }

    /// <summary>The command line of one point: each swept option's value replaces the base command's, or is added.</summary>
    private static string[] With(string[] baseArgs, SweepAxis[] axes, string[] values)
    {
        var args = baseArgs.ToList();
        for (var i = 0; i < axes.Length; i++)
        {
            var flag = "--" + axes[i].Name;
            var at = args.IndexOf(flag);
            if (at >= 0 && at + 1 < args.Count) args[at + 1] = values[i];
            else args.AddRange([flag, values[i]]);
        }
        return [.. args];
    }

    /// <summary>A markdown table: the swept values, then every top-level number or string the points' JSON share.</summary>
    private static string Table(SweepAxis[] axes, (string[] Values, JsonObject Result)[] rows)
    {
        var columns = rows.SelectMany(r => r.Result).Where(p => p.Value is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.String)
            .Select(p => p.Key).Distinct().Where(k => !axes.Any(a => a.Name.Replace('-', '_') == k)).ToArray();
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", axes.Select(a => a.Name).Concat(columns)) + " |");
        text.AppendLine("|" + string.Concat(Enumerable.Repeat(" --- |", axes.Length + columns.Length)));
        foreach (var (values, result) in rows)
            text.AppendLine("| " + string.Join(" | ", values.Concat(columns.Select(c => Cell(result[c])))) + " |");
        return text.ToString();
    }

    private static string Cell(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>() is var d && Math.Abs(d) >= 1e-3 && Math.Abs(d) < 1e6 ? d.ToString("0.####") : d.ToString("g4"),
        JsonValue v => v.ToString().Replace("|", "\\|"),
        _ => "",
    };
}
