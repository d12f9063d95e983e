using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Hosting;

namespace NasSav.ServiceDefaults.Tests.Configuration;

public sealed class HostDefaultsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nassav-host-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private WebApplication Build(params string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args, $"--Data:Root={_dir}", "--urls=http://127.0.0.1:0", "--Logging:Format=simple"],
            ContentRootPath = _dir,
        });
        builder.AddNasSavDefaults("test");
        return builder.Build();
    }

    [Theory]
    [InlineData("json", false, "json")]
    [InlineData("SIMPLE", false, "simple")]
    [InlineData(null, false, "simple")]
    [InlineData("", true, "json")]
    [InlineData("auto", true, "json")]
    [InlineData("auto", false, "simple")]
    public void The_console_log_format_follows_the_terminal_unless_configured(string? configured, bool redirected, string expected) =>
        Assert.Equal(expected, NasSav.ServiceDefaults.Hosting.ConsoleLogFormat.Resolve(configured, redirected));

    [Fact]
    public void An_unknown_log_format_stops_the_host_and_names_the_key()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--Logging:Format=xml", $"--Data:Root={_dir}"], ContentRootPath = _dir });
        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddNasSavDefaults("test"));
        Assert.Equal("Logging:Format: 'xml' is not one of json, simple, auto", ex.Message);
    }

    [Fact]
    public async Task A_bad_enum_value_stops_the_start_and_names_the_key()
    {
        await using var app = Build("--Database:Provider=Mysql");
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Database:Provider", ex.Message);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_names_the_missing_key()
    {
        await using var app = Build("--Database:Provider=Postgres");
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Database:ConnectionString", ex.Message);
    }

    [Fact]
    public async Task RabbitMq_without_a_uri_names_the_key()
    {
        await using var app = Build("--Bus:Transport=RabbitMq");
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Bus:RabbitMqUri", ex.Message);
    }

    [Fact]
    public async Task The_yaml_file_in_the_content_root_is_read_and_the_command_line_overrides_it()
    {
        File.WriteAllText(Path.Combine(_dir, "config.yaml"), "Data:\n  FilePathPrefix: /from-yaml\nDatabase:\n  Provider: Postgres\n  ConnectionString: Host=x\n");
        await using var app = Build("--Database:Provider=Sqlite");
        Assert.Equal("/from-yaml", app.Services.GetRequiredService<IOptions<DataOptions>>().Value.FilePathPrefix);
        Assert.Equal(DatabaseProvider.Sqlite, app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider);
        Assert.Equal("Host=x", app.Configuration["Database:ConnectionString"]);
    }

    [Fact]
    public async Task Valid_defaults_start()
    {
        await using var app = Build();
        await app.StartAsync();
        await app.StopAsync();
    }
}
