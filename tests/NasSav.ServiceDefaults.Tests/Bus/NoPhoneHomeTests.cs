using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Bus;

namespace NasSav.ServiceDefaults.Tests.Bus;

/// <summary>
/// MassTransit 8.4 reports "usage telemetry" over HTTPS to its vendor (usage-tracking.masstransit.io) five minutes
/// after the bus starts, or when the host stops if ReportOnShutdown is set. The bus of every NasSav host
/// (<see cref="BusRegistration.AddNasSavBus"/>) must send nothing. Observed where it would happen: every outgoing
/// HttpClient request of this process passes System.Net.Http's diagnostic listener.
/// </summary>
public sealed class NoPhoneHomeTests
{
    private const string TelemetryHost = "usage-tracking.masstransit.io";

    [Fact]
    public async Task The_bus_of_a_NasSav_host_sends_no_usage_telemetry()
    {
        using var requests = new OutgoingRequests();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Bus:Transport"] = "InMemory" });
        builder.Services.AddNasSavBus(builder.Configuration);
        // Report at stop instead of after five minutes, so that an enabled tracker would show within the test.
        builder.Services.PostConfigure<UsageTelemetryOptions>(o => o.ReportOnShutdown = true);

        var host = builder.Build();
        bool enabled;
        try
        {
            enabled = host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled;
            await host.StartAsync();
            var bus = host.Services.GetRequiredService<IBusControl>();
            Assert.Equal(BusHealthStatus.Healthy, await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30)));
            await host.StopAsync();
        }
        finally
        {
            // Disposing the container ends the tracker: this is when ReportOnShutdown sends (and waits for the send).
            await ((IAsyncDisposable)host).DisposeAsync();
        }

        Assert.DoesNotContain(requests.Hosts, h => h.Equals(TelemetryHost, StringComparison.OrdinalIgnoreCase));
        Assert.False(enabled, "usage telemetry is enabled in the bus registration");
    }

    /// <summary>The host names of HttpClient requests started in this process while it is alive.</summary>
    private sealed class OutgoingRequests : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable _all;
        private readonly List<IDisposable> _subscriptions = [];
        private readonly List<string> _hosts = [];

        public OutgoingRequests() => _all = DiagnosticListener.AllListeners.Subscribe(this);

        public IReadOnlyList<string> Hosts
        {
            get { lock (_hosts) return [.. _hosts]; }
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name != "HttpHandlerDiagnosticListener") return;
            lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            // "System.Net.Http.HttpRequestOut.Start" and "System.Net.Http.Request" carry the request as "Request".
            if (value.Value?.GetType().GetProperty("Request")?.GetValue(value.Value) is HttpRequestMessage { RequestUri: { } uri })
                lock (_hosts) _hosts.Add(uri.Host);
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }

        public void Dispose()
        {
            _all.Dispose();
            lock (_subscriptions) foreach (var s in _subscriptions) s.Dispose();
        }
    }
}
