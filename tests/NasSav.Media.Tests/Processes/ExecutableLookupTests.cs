using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasSav.Media.Processes;

namespace NasSav.Media.Tests.Processes;

/// <summary>Changes the process's current directory: runs alone, after the parallel collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CurrentDirectoryCollection
{
    public const string Name = "current directory";
}

[Collection(CurrentDirectoryCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExecutableLookupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nassav-planted-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>An executable script named <paramref name="name"/> in the temp folder that leaves a marker when run.</summary>
    private string Plant(string name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, $"#!/bin/sh\ntouch '{Path.Combine(_dir, name + ".ran")}'\necho planted\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private bool Ran(string name) => File.Exists(Path.Combine(_dir, name + ".ran"));

    [Fact]
    public async Task A_tool_planted_in_the_working_directory_never_runs_the_one_on_PATH_does()
    {
        Plant("ffmpeg");
        Plant("ffprobe");
        var previous = Directory.GetCurrentDirectory();
        ProcessResult ffmpeg, ffprobe;
        Directory.SetCurrentDirectory(_dir);
        try
        {
            ffmpeg = await ProcessRunner.RunAsync(new ProcessSpec("ffmpeg", ["-hide_banner", "-version"]) { CaptureStdout = true });
            ffprobe = await ProcessRunner.RunAsync(new ProcessSpec("ffprobe", ["-hide_banner", "-version"]) { CaptureStdout = true });
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
        Assert.False(Ran("ffmpeg"), "the ./ffmpeg of the working directory ran");
        Assert.False(Ran("ffprobe"), "the ./ffprobe of the working directory ran");
        Assert.StartsWith("ffmpeg version", ffmpeg.Stdout);
        Assert.StartsWith("ffprobe version", ffprobe.Stdout);
    }

    [Fact]
    public void Bare_names_are_found_in_absolute_PATH_entries_only()
    {
        var planted = Plant("nassav-tool");
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_dir);
        try
        {
            Assert.Null(ExecutableLocator.Find("nassav-tool", "/nonexistent"));
            Assert.Null(ExecutableLocator.Find("nassav-tool", ".:bin:"));        // relative entries would be the working directory
            Assert.Equal(planted, ExecutableLocator.Find("nassav-tool", $"/nonexistent:{_dir}"));
            Assert.Equal(planted, ExecutableLocator.Find("./nassav-tool"));     // an explicit path is the operator's choice
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
        File.SetUnixFileMode(planted, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Null(ExecutableLocator.Find("nassav-tool", _dir));                 // not executable
    }

    [Fact]
    public async Task A_missing_tool_is_named_clearly_at_start_and_at_use()
    {
        var services = new ServiceCollection();
        var logs = new ListLogger();
        services.AddSingleton<ILoggerProvider>(logs).AddLogging();
        services.AddMediaTools(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Media:FfprobePath"] = "nassav-no-such-ffprobe",
        }).Build());
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MediaToolOptions>>().Value;
        Assert.Equal(ExecutableLocator.Find("ffmpeg"), options.FfmpegPath);     // resolved once, to an absolute path
        Assert.True(Path.IsPathFullyQualified(options.FfmpegPath));
        Assert.Equal("nassav-no-such-ffprobe", options.FfprobePath);

        foreach (var hosted in provider.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        var warning = Assert.Single(logs.Lines);
        Assert.Contains("ffprobe is not available: 'nassav-no-such-ffprobe' was not found on PATH", warning);
        Assert.Contains("Media:FfprobePath", warning);

        var error = await Assert.ThrowsAsync<ProcessStartException>(() =>
            ProcessRunner.RunAsync(new ProcessSpec(options.FfprobePath, ["-version"]) { NotFoundHint = "install ffmpeg or set Media:FfprobePath" }));
        Assert.Equal("cannot start 'nassav-no-such-ffprobe': 'nassav-no-such-ffprobe' was not found on PATH (the working directory is not searched) (install ffmpeg or set Media:FfprobePath)",
            error.Message);
    }

    private sealed class ListLogger : ILoggerProvider, ILogger
    {
        public List<string> Lines { get; } = [];
        public ILogger CreateLogger(string categoryName) => this;
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) lock (Lines) Lines.Add(formatter(state, exception));
        }
    }
}
