using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace NasSav.ServiceDefaults.Configuration;

/// <summary>
/// Reads a NASSAV-style config.yaml (Source, Scraper, Translator, Proxy, paths...) into configuration
/// keys, so one file configures sources and sites the way the peer's users already write them.
/// </summary>
public sealed class YamlConfigurationSource(string path, bool optional) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new YamlConfigurationProvider(path, optional);
}

public sealed class YamlConfigurationProvider(string path, bool optional) : ConfigurationProvider
{
    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            if (!optional) throw new FileNotFoundException($"Configuration file '{path}' was not found", path);
            Data = data;
            return;
        }
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InvalidDataException($"Configuration file '{path}' is not valid YAML: {ex.Message} (line {ex.Start.Line})", ex);
        }
        if (stream.Documents.Count > 0) Flatten(stream.Documents[0].RootNode, null, data);
        Data = data;
    }

    private static void Flatten(YamlNode node, string? prefix, IDictionary<string, string?> data)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    Flatten(value, prefix is null ? name : $"{prefix}:{name}", data);
                }
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++) Flatten(seq.Children[i], $"{prefix}:{i}", data);
                break;
            case YamlScalarNode scalar when prefix is not null:
                // YAML null (~, null, empty) stays null so options keep their defaults.
                var isNull = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain &&
                             (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");
                data[prefix] = isNull ? null : scalar.Value;
                break;
        }
    }
}

public static class YamlConfigurationExtensions
{
    public static IConfigurationBuilder AddYamlFile(this IConfigurationBuilder builder, string path, bool optional = true) =>
        builder.Add(new YamlConfigurationSource(path, optional));
}
