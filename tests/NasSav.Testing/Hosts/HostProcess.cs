using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace NasSav.Testing;

/// <summary>
/// One already-built NasSav host (<c>dotnet X.Host.dll</c>) running as a separate process on its own
/// port, configured only through environment variables. Its output is kept (and written to a log
/// file) for failure messages; dispose kills its whole process tree. A PID file per child lets the
/// next run kill what a crashed or killed test run left behind.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    /// <summary>Settings inherited from the test's environment that must not leak into a host.</summary>
    private static readonly string[] ForeignPrefixes =
        ["Data__", "Database__", "Bus__", "Redis__", "Gateway__", "Telemetry__", "Storage__", "Logging__", "NASSAV_CONFIG",
         "ASPNETCORE_", "DOTNET_ENVIRONMENT", "OTEL_"];

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StreamWriter _log;
    private readonly string _pidFile;

    public string Name { get; }
    public int Port { get; }
    public Uri BaseUri { get; }
    public string LogPath { get; }
    public int Pid { get; }
    public bool HasExited => _process.HasExited;

    private HostProcess(string name, int port, Process process, StreamWriter log, string logPath, string pidFile)
    {
        Name = name;
        Port = port;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _process = process;
        _log = log;
        LogPath = logPath;
        _pidFile = pidFile;
        Pid = process.Id;
    }

    /// <summary>Where the hosts are built: the same configuration as this test assembly.</summary>
    public static string Configuration { get; } =
        typeof(HostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>services/catalog/NasSav.Catalog.Host → …/bin/{Configuration}/net10.0/NasSav.Catalog.Host.dll</summary>
    public static string BuiltDll(string projectFolder)
    {
        var name = Path.GetFileName(projectFolder);
        return Path.Combine(RepoPaths.Root, projectFolder, "bin", Configuration, "net10.0", name + ".dll");
    }

    /// <summary>How long a host may take to answer /health/ready (a cold start under a loaded machine).</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RunDir { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("NASSAV_RUN_DIR") is { Length: > 0 } d ? d : Path.Combine(RepoPaths.Root, ".run"),
        "systemtests");

    public static HostProcess Start(string name, string dll, int port, IReadOnlyDictionary<string, string?> settings)
    {
        if (!File.Exists(dll))
            throw new FileNotFoundException($"{name}: {dll} is not built. Build the solution first (./test.sh or dotnet build NasSav.sln -c {Configuration}).", dll);
        KillLeftovers();
        Directory.CreateDirectory(RunDir);

        var psi = new ProcessStartInfo(DotnetHost(), [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var key in psi.Environment.Keys.ToList())
            if (ForeignPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase))) psi.Environment.Remove(key);
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["Logging__Format"] = "simple";
        // Without the formatter named, the console logger ignores its FormatterOptions and the lines carry no time.
        psi.Environment["Logging__Console__FormatterName"] = "simple";
        psi.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (k, v) in settings) psi.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;

        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss");
        var logPath = Path.Combine(RunDir, $"{stamp}-{name}-{port}.log");
        var log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        HostProcess? host = null;
        var early = new List<string>();
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (early)
            {
                if (host is null) { early.Add(line); return; }
            }
            host.Append(line);
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        // Owner test process, child PID and command: enough for the next run to clean up after a crash.
        var pidFile = Path.Combine(RunDir, $"{Environment.ProcessId}-{process.Id}.pid");
        File.WriteAllText(pidFile, $"{process.Id}\n{dll}\n");
        host = new HostProcess(name, port, process, log, logPath, pidFile);
        lock (early)
        {
            foreach (var line in early) host.Append(line);
            early.Clear();
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void Append(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            try { _log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>Everything the host printed so far.</summary>
    public string Output()
    {
        lock (_lines) return string.Join('\n', _lines);
    }

    /// <summary>The last lines the host printed, for failure messages.</summary>
    public string Tail(int count = 150)
    {
        lock (_lines)
        {
            var state = _process.HasExited ? $"exited with code {SafeExitCode()}" : "running";
            var lines = _lines.Skip(Math.Max(0, _lines.Count - count));
            return $"----- {Name} (PID {Pid}, port {Port}, {state}; full log: {LogPath}) -----\n" + string.Join('\n', lines);
        }
    }

    private string SafeExitCode()
    {
        try { return _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture); } catch (InvalidOperationException) { return "?"; }
    }

    /// <summary>Kills the host and everything it started, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await _process.WaitForExitAsync(timeout.Token); } catch (OperationCanceledException) { }
        try { File.Delete(_pidFile); } catch (IOException) { }
    }

    /// <summary>Until /health/ready answers Healthy (or, for another <paramref name="path"/>, any 200).</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, string path = "health/ready")
    {
        var last = "no answer yet";
        try
        {
            await Wait.UntilAsync(async () =>
            {
                if (HasExited) throw new InvalidOperationException($"{Name} exited before it was ready");
                try
                {
                    using var response = await http.GetAsync(new Uri(BaseUri, path));
                    var body = await response.Content.ReadAsStringAsync();
                    last = $"HTTP {(int)response.StatusCode}: {body}";
                    if (response.StatusCode != HttpStatusCode.OK) return false;
                    if (path != "health/ready") return true;
                    using var doc = JsonDocument.Parse(body);
                    return doc.RootElement.GetProperty("status").GetString() == "Healthy";
                }
                catch (HttpRequestException ex) { last = ex.Message; return false; }
                catch (TaskCanceledException ex) { last = ex.Message; return false; }
                catch (JsonException ex) { last = ex.Message; return false; }
            }, timeout, $"{Name} /{path} to be ready");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last answer: {last}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        lock (_lines) _log.Dispose();
        _process.Dispose();
    }

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    private static int _cleaned;

    /// <summary>
    /// Kills hosts recorded by test processes that no longer run (a crash, a blame-hang kill, a
    /// Ctrl-C): only a PID whose command line still names the recorded dll.
    /// </summary>
    private static void KillLeftovers()
    {
        if (Interlocked.Exchange(ref _cleaned, 1) == 1 || !Directory.Exists(RunDir)) return;
        foreach (var log in Directory.GetFiles(RunDir, "*.log"))
        {
            try { if (File.GetLastWriteTimeUtc(log) < DateTime.UtcNow.AddDays(-2)) File.Delete(log); } catch (IOException) { }
        }
        foreach (var file in Directory.GetFiles(RunDir, "*.pid"))
        {
            var parts = Path.GetFileNameWithoutExtension(file).Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var owner) || owner == Environment.ProcessId) continue;
            if (IsRunning(owner)) continue; // another test run, still alive: not ours to touch
            try
            {
                var lines = File.ReadAllLines(file);
                if (lines.Length >= 2 && int.TryParse(lines[0], out var pid) && IsRunning(pid)
                    && File.ReadAllText($"/proc/{pid}/cmdline").Contains(lines[1], StringComparison.Ordinal))
                {
                    using var leftover = Process.GetProcessById(pid);
                    leftover.Kill(entireProcessTree: true);
                }
                File.Delete(file);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
            }
        }
    }

    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z";
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
