using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NasSav.Cli;
using NasSav.Cli.Maintenance;
using NasSav.Maintenance.Tests.Support;
using NasSav.Testing;

namespace NasSav.Maintenance.Tests.ErrorQueues;

/// <summary>A message for the probe endpoint the test connects to the running bus.</summary>
public sealed record ProbeMessage(string Text);

/// <summary>Faults while <see cref="Failing"/> (not a transient error: straight to the error queue), counts otherwise.</summary>
public sealed class ProbeState
{
    public volatile bool Failing = true;
    public int Consumed;
}

public sealed class ProbeConsumer(ProbeState state) : IConsumer<ProbeMessage>
{
    public Task Consume(ConsumeContext<ProbeMessage> context)
    {
        if (state.Failing) throw new InvalidOperationException($"probe refused '{context.Message.Text}'");
        Interlocked.Increment(ref state.Consumed);
        return Task.CompletedTask;
    }
}

/// <summary>/nassav/api/maintenance/error-queues and <c>nassav error-queues</c>, on a real broker (a vhost of the test's own).</summary>
public sealed class ErrorQueueTests
{
    private static async Task<(int Code, string Out, string Err)> CliAsync(MaintenanceApp app, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await new NassavCli(_ => app.Http, output, error).RunAsync([.. args, "--url", "http://nas.example:9790"]);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_in_memory_bus_answers_501_with_the_reason()
    {
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite);

        using var response = await app.Http.GetAsync("/nassav/api/maintenance/error-queues");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(501, (int)response.StatusCode);
        Assert.Equal(501, body.GetProperty("code").GetInt32());
        Assert.Contains("RabbitMQ", body.GetProperty("message").GetString());
        using var replay = await app.Http.PostAsJsonAsync("/nassav/api/maintenance/error-queues/x_error/replay", new { all = true });
        Assert.Equal(501, (int)replay.StatusCode);
        // A malformed request is the client's error on any transport (and a lone surrogate never reaches GetString()).
        using var malformed = await app.Http.PostAsync("/nassav/api/maintenance/error-queues/x_error/replay",
            new StringContent("""{"message_ids":["\ud800"]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)malformed.StatusCode);

        var (code, _, err) = await CliAsync(app, "error-queues", "list");
        Assert.Equal(ErrorQueuesCommand.ApiError, code);
        Assert.Contains("HTTP 501", err);
    }

    [Fact]
    public async Task A_faulted_message_is_listed_shown_and_replayed_once_its_cause_is_fixed()
    {
        await using var vhost = await RabbitVhost.CreateAsync();
        var management = await LocalServers.RabbitMqManagementAsync();
        Assert.True(vhost.Name is not null && management is not null, "the local broker has its management API (deploy/local/rabbitmq.sh)");
        await using var app = await MaintenanceApp.StartAsync(DbKind.Sqlite, new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMqUri"] = vhost.AmqpUri,
            ["Bus:RabbitMqManagementUri"] = management,
        });
        var state = new ProbeState();
        var connector = app.Services.GetRequiredService<IReceiveEndpointConnector>();
        var probe = connector.ConnectReceiveEndpoint("errq-probe", (_, e) => e.Consumer(() => new ProbeConsumer(state)));
        await probe.Ready;
        var bus = app.Services.GetRequiredService<IBus>();
        var endpoint = await bus.GetSendEndpoint(new Uri("queue:errq-probe"));
        await endpoint.Send(new ProbeMessage("one"));
        await endpoint.Send(new ProbeMessage("two"));

        // The management API counts with a delay of a few seconds.
        await Wait.UntilAsync(async () => (await CliAsync(app, "error-queues")).Out.Contains("errq-probe_error  2"), MaintenanceApp.Patience,
            "both messages in errq-probe_error");
        var shown = await CliAsync(app, "error-queues", "show", "errq-probe_error");
        Assert.Equal(ErrorQueuesCommand.Ok, shown.Code);
        Assert.Contains("errq-probe_error: 2 message(s), showing 2", shown.Out);
        Assert.Contains("System.InvalidOperationException: probe refused 'one'", shown.Out);
        var messages = (await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/maintenance/error-queues/errq-probe_error/messages?limit=10"))
            .GetProperty("data").GetProperty("messages").EnumerateArray().ToList();
        var one = Assert.Single(messages, m => m.GetProperty("message").GetProperty("text").GetString() == "one");
        Assert.Contains(one.GetProperty("message_types").EnumerateArray(), t => t.GetString()!.EndsWith(":ProbeMessage"));
        // Reading took nothing.
        Assert.Equal(2, messages.Count);

        state.Failing = false;
        var replay = await CliAsync(app, "error-queues", "replay", "errq-probe_error", "--id", one.GetProperty("message_id").GetString()!, "--id", "not-there");
        Assert.Equal(ErrorQueuesCommand.NotFound, replay.Code);
        Assert.Contains("replayed 1 message(s) from errq-probe_error", replay.Out);
        Assert.Contains("not in the queue: not-there", replay.Out);
        await Wait.UntilAsync(() => Volatile.Read(ref state.Consumed) == 1, MaintenanceApp.Patience, "the replayed message to be consumed");

        Assert.Equal(ErrorQueuesCommand.Ok, (await CliAsync(app, "error-queues", "replay", "errq-probe_error", "--all")).Code);
        await Wait.UntilAsync(() => Volatile.Read(ref state.Consumed) == 2, MaintenanceApp.Patience, "the second message to be consumed");
        var left = (await app.Http.GetFromJsonAsync<JsonElement>("/nassav/api/maintenance/error-queues/errq-probe_error/messages")).GetProperty("data");
        Assert.Equal(0, left.GetProperty("total").GetInt64());

        using var unknown = await app.Http.GetAsync("/nassav/api/maintenance/error-queues/nope_error/messages");
        Assert.Equal(404, (int)unknown.StatusCode);
        using var bad = await app.Http.GetAsync("/nassav/api/maintenance/error-queues/not-an-error-queue/messages");
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Equal(ErrorQueuesCommand.ApiError, (await CliAsync(app, "error-queues", "replay", "errq-probe_error")).Code);
    }
}
