using NasSav.Testing;

namespace NasSav.Standalone.Tests;

/// <summary>The standalone host (every module in one process) on a real Kestrel socket and a fresh data folder.</summary>
public sealed class StandaloneApp(IReadOnlyDictionary<string, string?>? settings = null) : RealServerApp<Program>(settings);
