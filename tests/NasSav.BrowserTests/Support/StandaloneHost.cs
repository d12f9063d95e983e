using NasSav.Testing;

namespace NasSav.BrowserTests.Support;

/// <summary>
/// The standalone host (every module, SQLite, in-memory bus) in this process on a real Kestrel socket at
/// 127.0.0.1 with a fresh data folder, so a browser can reach it. Tests add settings such as Gateway:StaticUiPath.
/// </summary>
public sealed class StandaloneHost(IReadOnlyDictionary<string, string?>? settings = null) : RealServerApp<Program>(settings);
