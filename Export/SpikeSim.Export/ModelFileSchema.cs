using Google.Protobuf;
using Google.Protobuf.Reflection;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Export;

/// <summary>
/// Refuses what a newer SpikeSim may have written and this one would misread. Protobuf keeps an enum value it does not
/// know as its bare number, which a reader that switches on the enum would run as some default; and a node or rule of a
/// kind added later arrives with its <c>oneof</c> unset. One walk over the schema's descriptors finds both, for every
/// message and every field, so a field added to the <c>.proto</c> is covered without code here.
/// </summary>
public static class ModelFileSchema
{
    /// <summary>The <c>oneof</c>s that must hold a known member: a node's kind, a rule, a quantisation target.</summary>
    private static readonly HashSet<string> RequiredOneofs = ["spikesim.v1.Node.kind", "spikesim.v1.Plasticity.rule", "spikesim.v1.Quantisation.target"];

    /// <summary>Throws, naming the field by its path and the file's version, at the first value this version does not know.</summary>
    public static void CheckKnown(ModelFile file)
    {
        var version = file.Header is { } h ? $"{h.Major}.{h.Minor}" : "of unknown version";
        Walk(file, "", version);
    }

    private static void Walk(IMessage message, string path, string version)
    {
        foreach (var oneof in message.Descriptor.Oneofs)
            if (RequiredOneofs.Contains(oneof.FullName) && oneof.Accessor.GetCaseFieldDescriptor(message) is null)
                throw new SpikeSimException($"{Describe(message, path)} has no {oneof.Name} that this SpikeSim knows (it reads format {ModelFormat.Major}.{ModelFormat.Minor}; " +
                                            $"the file is format {version}): it may come from a newer SpikeSim.");
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            var at = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            switch (field.FieldType)
            {
                case FieldType.Enum when !field.IsRepeated:
                    var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
                    if (field.EnumType.FindValueByNumber(number) is null)
                        throw new SpikeSimException($"Field '{at}' holds {field.EnumType.Name} value {number}, which this SpikeSim does not know " +
                                                    $"(it reads format {ModelFormat.Major}.{ModelFormat.Minor}; the file is format {version}).");
                    break;
                case FieldType.Message when field.IsMap:
                    break;
                case FieldType.Message when field.IsRepeated:
                    var k = 0;
                    foreach (IMessage item in (System.Collections.IList)value)
                    {
                        Walk(item, item is Node node ? $"{at}['{node.Name}']" : $"{at}[{k}]", version);
                        k++;
                    }
                    break;
                case FieldType.Message when value is IMessage inner:
                    Walk(inner, at, version);
                    break;
            }
        }
    }

    private static string Describe(IMessage message, string path) => message is Node node ? $"Node '{node.Name}'" : $"Field '{path}'";
}
