using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NasSav.LeaseHolder;
using NasSav.Coordination.Locking;

namespace NasSav.Bench.Coordination;

/// <summary>
/// Lease hand-off: how long after a holder releases does a waiter (already refused once, polling every 5 s so
/// only the release notice can wake it) hold the lease? On Redis the two contenders are separate service
/// providers (two connections, as two processes); in process they share one lock. Epochs on SQLite, or on
/// PostgreSQL with --postgres.
/// </summary>
public static class LeaseBench
{
    public static async Task RunAsync(string[] args)
    {
        var rounds = BenchArgs.Int(args, "--rounds", 200);
        var redis = BenchArgs.String(args, "--redis") ?? Environment.GetEnvironmentVariable("NASSAV_TEST_REDIS");
        var postgres = BenchArgs.String(args, "--postgres");
        Console.WriteLine($"# Lease hand-off ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
                          $"load {BenchArgs.LoadAverage()}, epochs on {(postgres is null ? "SQLite" : "PostgreSQL")}, {rounds} rounds after 20 warm-up)");
        Console.WriteLine();
        Console.WriteLine("| lock | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        await RowAsync("in process", null, postgres, rounds);
        if (redis is null)
        {
            Console.WriteLine("| Redis | (no --redis and no NASSAV_TEST_REDIS) | | | |");
            return;
        }
        await RowAsync($"Redis ({redis})", redis, postgres, rounds);

        var takeovers = BenchArgs.Int(args, "--takeover-rounds", 5);
        Console.WriteLine();
        Console.WriteLine($"Takeover after the holder (a child process, ttl 3 s) is SIGKILLed, {takeovers} rounds, default polling (0.5 s doubling to 5 s):");
        Console.WriteLine();
        Console.WriteLine("| lock | min s | median s | max s |");
        Console.WriteLine("|---|---:|---:|---:|");
        await TakeoverRowAsync(redis, postgres, takeovers);
    }

    /// <summary>The crash case: a holder that stops renewing without releasing; its successor waits for the key to expire.</summary>
    private static async Task TakeoverRowAsync(string redis, string? postgres, int rounds)
    {
        var folder = Directory.CreateTempSubdirectory("nassav-bench-takeover-").FullName;
        try
        {
            var settings = Settings(folder, redis, postgres);
            settings["Locking:LeaseTtl"] = "00:00:03";
            settings.Remove("Locking:PollMin");
            settings.Remove("Locking:PollMax");
            await using var services = await CoordinationServices.BuildAsync(settings);
            var locks = services.GetRequiredService<ILeaseLock>();
            var dll = Path.Combine(AppContext.BaseDirectory, "NasSav.LeaseHolder.dll");
            var took = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                var name = "bench-" + Guid.NewGuid().ToString("N")[..8];
                var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
                foreach (var a in new[] { dll, name, "child" }.Concat(settings.Select(kv => $"{kv.Key}={kv.Value}"))) psi.ArgumentList.Add(a);
                using var child = Process.Start(psi)!;
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                if (line?.StartsWith("ACQUIRED ", StringComparison.Ordinal) != true) throw new InvalidOperationException($"the holder printed '{line}'");
                var refused = ((LeaseLockBase)locks).RefusedAttempts;
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var waiter = Task.Run(() => locks.AcquireAsync(name, "successor", timeout.Token));
                while (((LeaseLockBase)locks).RefusedAttempts == refused) await Task.Delay(1);
                var killed = Stopwatch.GetTimestamp();
                child.Kill(entireProcessTree: true);
                await using var lease = await waiter;
                took.Add(Stopwatch.GetElapsedTime(killed).TotalSeconds);
            }
            took.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Redis | {took[0]:0.00} | {took[took.Count / 2]:0.00} | {took[^1]:0.00} |"));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static Dictionary<string, string?> Settings(string folder, string? redis, string? postgres) => new()
    {
        ["Data:Root"] = folder,
        ["Locking:LeaseTtl"] = "00:00:05",
        ["Locking:PollMin"] = "00:00:05",
        ["Locking:PollMax"] = "00:00:05",
        ["Locking:KeyPrefix"] = $"bench:{Guid.NewGuid():N}:lease:",
        ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
        ["Database:ConnectionString"] = postgres,
        ["Redis:Endpoint"] = redis,
    };

    private static async Task RowAsync(string label, string? redis, string? postgres, int rounds)
    {
        var folder = Directory.CreateTempSubdirectory("nassav-bench-lease-").FullName;
        try
        {
            var settings = Settings(folder, redis, postgres);
            await using var first = await CoordinationServices.BuildAsync(settings);
            await using var second = redis is null ? null : await CoordinationServices.BuildAsync(settings);
            var holderLock = first.GetRequiredService<ILeaseLock>();
            var waiterLock = (second ?? first).GetRequiredService<ILeaseLock>();
            var waiterBase = (LeaseLockBase)waiterLock;
            var name = "bench-" + Guid.NewGuid().ToString("N")[..8];
            var delays = new List<double>();
            for (var round = -20; round < rounds; round++)
            {
                var held = await holderLock.AcquireAsync(name, $"holder:{round}", CancellationToken.None);
                var refused = waiterBase.RefusedAttempts;
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var waiter = Task.Run(() => waiterLock.AcquireAsync(name, $"waiter:{round}", timeout.Token));
                while (waiterBase.RefusedAttempts == refused) await Task.Delay(1);
                var released = Stopwatch.GetTimestamp();
                await held.DisposeAsync();
                await using var got = await waiter;
                if (round >= 0) delays.Add(Stopwatch.GetElapsedTime(released).TotalMilliseconds);
                if (got.Epoch <= held.Epoch) throw new InvalidOperationException($"epoch {got.Epoch} after {held.Epoch}");
            }
            delays.Sort();
            double P(double q) => delays[Math.Min(delays.Count - 1, (int)(q * delays.Count))];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {P(0.5):0.0} | {P(0.95):0.0} | {P(0.99):0.0} | {delays[^1]:0.0} |"));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
