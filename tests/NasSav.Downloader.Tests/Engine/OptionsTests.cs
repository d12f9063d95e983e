using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.Downloader.Engine;

namespace NasSav.Downloader.Tests.Engine;

public sealed class OptionsTests
{
    [Fact]
    public void Bad_engine_settings_are_refused_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Downloader:Engine:Parallelism"] = "0",
            ["Downloader:Engine:StallTimeoutMs"] = "10",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddDownloader(configuration).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<HlsEngineOptions>>().Value);
        Assert.Contains("Downloader:Engine:Parallelism 0 must be between 1 and 64", ex.Failures);
        Assert.Contains("Downloader:Engine:StallTimeoutMs 10 must be between 50 and 600000", ex.Failures);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(HlsEngineOptions.Validate(new HlsEngineOptions()));
        Assert.Equal(8, new HlsEngineOptions().Parallelism);
    }
}
