using System.Diagnostics;
using NasSav.Testing;

namespace NasSav.SystemTests.Cli;

/// <summary>The CLI as users install it: a .NET tool package whose command is <c>nassav</c> (README, "The nassav command line").</summary>
[Collection(DistributedCollection.Name)]
public sealed class CliToolTests
{
    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_cli_packs_as_a_dotnet_tool_that_installs_the_nassav_command()
    {
        var work = Directory.CreateTempSubdirectory("nassav-tool-").FullName;
        try
        {
            var project = Path.Combine(RepoPaths.Root, "tools", "NasSav.Cli", "NasSav.Cli.csproj");
            var pack = await RunAsync("dotnet", "pack", project, "--no-build", "-c", HostProcess.Configuration, "-o", Path.Combine(work, "feed"));
            Assert.True(pack.Code == 0, pack.Output);
            var install = await RunAsync("dotnet", "tool", "install", "--tool-path", Path.Combine(work, "tool"), "--add-source", Path.Combine(work, "feed"), "NasSav.Cli");
            Assert.True(install.Code == 0, install.Output);
            Assert.Contains("You can invoke the tool using the following command: nassav", install.Output);

            var help = await RunAsync(Path.Combine(work, "tool", "nassav"), "--help");
            Assert.True(help.Code == 0, help.Output);
            foreach (var command in new[] { "add", "download", "get", "queue", "cancel", "list", "show", "refresh", "delete", "jobs", "lock", "import", "retranslate" })
                Assert.Matches($@"(?m)^\s+{command}\b", help.Output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
