using System.Collections.Concurrent;
using System.Diagnostics;
using NasSav.Coordination.Tests.Support;
using NasSav.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace NasSav.Coordination.Tests.Redis;

/// <summary>
/// The connection as <c>RedisConnections</c> configures it (fail fast, no backlog, the command timeout) against a
/// real redis-server that dies, restarts, hangs or wants a password.
/// </summary>
public sealed class RedisConnectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task While_the_server_is_down_commands_fail_without_queueing_and_after_a_restart_everything_works_again()
    {
        await using var server = await PrivateRedis.StartAsync();
        await using var redis = PrivateRedis.Connect(server.Endpoint);
        var db = redis.GetDatabase();
        var received = new ConcurrentQueue<string>();
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal("ch"), (_, m) => received.Enqueue(m!));
        await db.StringSetAsync("k", "before");

        await server.KillAsync();
        await Wait.UntilAsync(() => !redis.IsConnected, TimeSpan.FromSeconds(10), "the connection to notice the server is gone");
        // Fail fast: a connection error, not a timeout after waiting in a backlog for the connection to come back.
        var failedAt = Stopwatch.GetTimestamp();
        var down = await Assert.ThrowsAsync<RedisConnectionException>(() => db.StringGetAsync("k"));
        output.WriteLine($"failed after {Stopwatch.GetElapsedTime(failedAt).TotalMilliseconds:0} ms: {down.Message}");
        Assert.Contains(server.Endpoint, down.Message);
        Assert.DoesNotContain("backlog", down.Message); // queued commands fail with "timed out in the backlog"

        await server.StartAgainAsync(); // same port, empty memory: like a restart without persistence
        await Wait.UntilAsync(async () =>
        {
            try { return await db.StringSetAsync("k", "after"); }
            catch (RedisConnectionException) { return false; }
        }, TimeSpan.FromSeconds(15), "the connection to come back");
        Assert.Equal("after", (string?)await db.StringGetAsync("k"));
        await Wait.UntilAsync(async () =>
        {
            await db.PublishAsync(RedisChannel.Literal("ch"), "again");
            return received.Contains("again");
        }, TimeSpan.FromSeconds(15), "the subscription to be re-established");
    }

    [Fact]
    public async Task A_server_that_stops_answering_gives_a_timeout_after_the_configured_command_timeout()
    {
        await using var server = await PrivateRedis.StartAsync();
        await using var redis = PrivateRedis.Connect(server.Endpoint, commandTimeout: TimeSpan.FromMilliseconds(300));
        var db = redis.GetDatabase();
        await db.PingAsync();
        server.Pause();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var ex = await Assert.ThrowsAsync<RedisTimeoutException>(() => db.StringGetAsync("k"));
            output.WriteLine($"timed out after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms: {ex.Message}");
            Assert.Contains("timeout is 300ms", ex.Message); // Redis:CommandTimeout, not the library's default of 5 s
        }
        finally
        {
            server.Resume();
        }
        await Wait.UntilAsync(async () =>
        {
            try { await db.PingAsync(); return true; }
            catch (Exception e) when (e is RedisException or TimeoutException) { return false; }
        }, TimeSpan.FromSeconds(15), "commands to succeed after the server resumed");
    }

    [Fact]
    public async Task A_wrong_password_fails_as_an_authentication_failure_and_the_right_one_works()
    {
        await using var server = await PrivateRedis.StartAsync(password: "s3cret");
        await using (var wrong = PrivateRedis.Connect(server.Endpoint, "nope"))
        {
            var ex = await Assert.ThrowsAsync<RedisConnectionException>(() => wrong.GetDatabase().PingAsync());
            output.WriteLine(ex.Message);
            Assert.Contains("password", ex.Message); // the server's NOAUTH/WRONGPASS reason is passed on
        }
        await using var right = PrivateRedis.Connect(server.Endpoint, "s3cret");
        await right.GetDatabase().PingAsync();
    }
}
