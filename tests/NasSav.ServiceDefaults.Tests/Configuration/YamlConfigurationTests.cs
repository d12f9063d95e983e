using Microsoft.Extensions.Configuration;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.ServiceDefaults.Tests.Configuration;

public sealed class YamlConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nassav-yaml-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "config.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Reads_a_nassav_style_config_into_keys()
    {
        var path = Write("""
            Proxy:
              Enable: false
              url: http://127.0.0.1:7890
            FilePathPrefix: ~
            Source:
              missav:
                domain: missav.ai
                weight: 1000
            Translator:
              active: qwen
              qwen:
                type: ollama
                prompt_template: "翻译：{text}"
            Genres:
              - 4K
              - 高畫質
            """);
        var config = new ConfigurationBuilder().AddYamlFile(path, optional: false).Build();

        Assert.Equal("missav.ai", config["Source:missav:domain"]);
        Assert.Equal("1000", config["source:MISSAV:weight"]);
        Assert.Equal("false", config["Proxy:Enable"]);
        Assert.Null(config["FilePathPrefix"]);
        Assert.Equal("翻译：{text}", config["Translator:qwen:prompt_template"]);
        Assert.Equal(["4K", "高畫質"], config.GetSection("Genres").Get<string[]>()!);
    }

    [Fact]
    public void A_missing_optional_file_is_empty_and_a_missing_required_file_is_an_error()
    {
        var missing = Path.Combine(_dir, "nope.yaml");
        Assert.Empty(new ConfigurationBuilder().AddYamlFile(missing, optional: true).Build().AsEnumerable());
        var ex = Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddYamlFile(missing, optional: false).Build());
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void Invalid_yaml_names_the_file_and_line()
    {
        var path = Write("Source:\n  missav: [unclosed\n");
        var ex = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddYamlFile(path, optional: false).Build());
        Assert.Contains(path, ex.Message);
        Assert.Contains("line", ex.Message);
    }
}
