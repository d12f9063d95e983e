using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NasSav.Coordination.Tests.Support;
using NasSav.ServiceDefaults.Redis;
using NasSav.Testing;

namespace NasSav.Coordination.Tests.Redis;

/// <summary>Connection failures: killed connections, a restarted server, silence, a wrong password.</summary>
public sealed class RedisConnectionTests
{
    [Fact]
    public async Task After_the_server_kills_its_connections_commands_reconnect_and_subscriptions_come_back()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..12];
        var endpoint = await LocalServers.RedisAsync();
        await using var client = new RedisClient(PrivateRedis.Fast(endpoint) with { ClientName = name });
        await using var admin = new RedisClient(new RedisClientSettings(endpoint));
        var channel = $"test:{name}:ch";
        var received = new ConcurrentQueue<string>();
        var reconnected = 0;
        client.SubscriberReconnected += () => Interlocked.Increment(ref reconnected);
        await using var _ = await client.SubscribeAsync(channel, (_, m) => received.Enqueue(Encoding.UTF8.GetString(m)));
        Assert.Equal("PONG", await client.PingAsync());

        // Both of this client's connections carry its name; kill them by address, as an admin or a failover would.
        var killed = 0;
        foreach (var line in (await admin.ExecuteAsync("CLIENT", "LIST")).AsString()!.Split('\n'))
        {
            if (!line.Contains($" name={name} ")) continue;
            var addr = line.Split(' ').First(f => f.StartsWith("addr=", StringComparison.Ordinal))[5..];
            killed += (int)(await admin.ExecuteAsync("CLIENT", "KILL", "ADDR", addr)).AsInteger();
        }
        Assert.Equal(2, killed);

        await Wait.UntilAsync(() => Volatile.Read(ref reconnected) > 0, TimeSpan.FromSeconds(10), "the subscriber to reconnect");
        await Wait.UntilAsync(async () =>
        {
            await admin.PublishAsync(channel, "after");
            return received.Contains("after");
        }, TimeSpan.FromSeconds(10), "a message published after the kill");
        // The command connection noticed the kill; the next commands run on a fresh one.
        await Wait.UntilAsync(async () =>
        {
            try { return await client.PingAsync() == "PONG"; }
            catch (RedisConnectionException) { return false; }
        }, TimeSpan.FromSeconds(10), "a command to succeed again");
    }

    [Fact]
    public async Task While_the_server_is_down_commands_fail_naming_it_and_after_a_restart_everything_works_again()
    {
        await using var server = await PrivateRedis.StartAsync();
        await using var client = new RedisClient(PrivateRedis.Fast(server.Endpoint));
        var received = new ConcurrentQueue<string>();
        await using var _ = await client.SubscribeAsync("ch", (_, m) => received.Enqueue(Encoding.UTF8.GetString(m)));
        await client.SetAsync("k", "before");

        // A command in flight when the server dies fails with the connection's error, not a timeout.
        await server.KillAsync();
        var down = await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            for (var i = 0; i < 50; i++) await client.GetAsync("k"); // the first may race the close
        });
        Assert.Contains(server.Endpoint, down.Message);

        await server.StartAgainAsync(); // same port, empty memory: like a restart without persistence
        await Wait.UntilAsync(async () =>
        {
            try { return await client.SetAsync("k", "after"); }
            catch (RedisConnectionException) { return false; }
        }, TimeSpan.FromSeconds(15), "the client to reconnect");
        Assert.Equal("after", await client.GetAsync("k"));
        await Wait.UntilAsync(async () =>
        {
            await client.PublishAsync("ch", "again");
            return received.Contains("again");
        }, TimeSpan.FromSeconds(15), "the subscription to be re-established");
    }

    [Fact]
    public async Task A_server_that_never_answers_gives_a_timeout_naming_the_endpoint_and_command()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var accept = listener.AcceptTcpClientAsync(); // accepts and reads nothing
        await using var client = new RedisClient(new RedisClientSettings(endpoint) { CommandTimeout = TimeSpan.FromMilliseconds(300) });
        var ex = await Assert.ThrowsAsync<RedisTimeoutException>(() => client.GetAsync("k"));
        Assert.Contains(endpoint, ex.Message);
        Assert.Contains("GET", ex.Message);
        Assert.Contains("300 ms", ex.Message);
        (await accept).Dispose();
    }

    [Fact]
    public async Task Nothing_listening_gives_a_connection_error_naming_the_endpoint()
    {
        var endpoint = $"127.0.0.1:{PrivateRedis.FreePort()}";
        await using var client = new RedisClient(PrivateRedis.Fast(endpoint));
        var ex = await Assert.ThrowsAsync<RedisConnectionException>(() => client.PingAsync());
        Assert.Contains(endpoint, ex.Message);
        Assert.Equal(endpoint, ex.Endpoint);
        // Within the backoff window the client fails fast instead of hammering the address.
        var again = await Assert.ThrowsAsync<RedisConnectionException>(() => client.PingAsync());
        Assert.Contains("next attempt", again.Message);
    }

    [Fact]
    public async Task A_wrong_password_gives_an_authentication_error_and_the_right_one_works()
    {
        await using var server = await PrivateRedis.StartAsync(password: "s3cret");
        await using var wrong = new RedisClient(PrivateRedis.Fast(server.Endpoint, "nope"));
        var ex = await Assert.ThrowsAsync<RedisAuthenticationException>(() => wrong.PingAsync());
        Assert.Contains(server.Endpoint, ex.Message);
        Assert.Contains("Redis:Password", ex.Message);
        Assert.Contains("WRONGPASS", ex.Message);

        await using var none = new RedisClient(PrivateRedis.Fast(server.Endpoint));
        var noAuth = await Assert.ThrowsAsync<RedisServerException>(() => none.PingAsync());
        Assert.Equal("NOAUTH", noAuth.Prefix);

        await using var right = new RedisClient(PrivateRedis.Fast(server.Endpoint, "s3cret"));
        Assert.Equal("PONG", await right.PingAsync());
    }
}
