using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Health;
using NasSav.ServiceDefaults.Redis;
using NasSav.Testing;

namespace NasSav.ServiceDefaults.Tests.Health;

public sealed class RedisPingHealthCheckTests
{
    private static async Task<HealthCheckResult> CheckAsync(string endpoint)
    {
        var options = new RedisOptions { Endpoint = endpoint, ConnectTimeout = TimeSpan.FromSeconds(2) };
        await using var redis = RedisConnections.Connect(options);
        return await new RedisPingHealthCheck(redis, Options.Create(options)).CheckHealthAsync(new HealthCheckContext());
    }

    [Fact]
    public async Task A_real_redis_answers_ping_and_is_healthy()
    {
        var endpoint = await LocalServers.RedisAsync();
        var result = await CheckAsync(endpoint);
        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task A_closed_port_is_unhealthy_with_the_endpoint_named()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var result = await CheckAsync($"127.0.0.1:{port}");
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains($"127.0.0.1:{port}", result.Description);
    }

    [Fact]
    public async Task A_server_that_is_not_redis_is_unhealthy()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await client.GetStream().WriteAsync("-ERR unknown command\r\n"u8.ToArray());
        });
        var result = await CheckAsync($"127.0.0.1:{port}");
        await serve;
        listener.Stop();
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }
}
