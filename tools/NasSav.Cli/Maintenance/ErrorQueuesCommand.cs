using System.CommandLine;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Maintenance;

/// <summary>
/// <c>nassav error-queues</c>: the broker's <c>_error</c> queues through <c>/nassav/api/maintenance/error-queues</c>
/// (docs/operations.md, "Error queues"). Subcommands: <c>list</c> (the default), <c>show QUEUE [--limit N]</c>,
/// <c>replay QUEUE (--id ID ... | --all)</c>. Exit codes: 0 done, 1 some asked-for messages were not in the queue,
/// 2 the API refused or could not be reached (501 on the in-memory bus, which keeps no error queues).
/// </summary>
public sealed class ErrorQueuesCommand : ICliCommand
{
    public const int Ok = ExitCodes.Ok, NotFound = ExitCodes.Failed, ApiError = ExitCodes.Refused;
    private const string Path = "maintenance/error-queues";

    private readonly Argument<string> _queue = new("queue") { Description = "The error queue, e.g. resource-lifecycle_error." };
    private readonly Option<int?> _limit = new("--limit") { Description = "At most this many messages (server default 50)." };
    private readonly Option<string[]> _id = new("--id") { Description = "A message id to replay; repeatable.", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> _all = new("--all") { Description = "Replay every message of the queue." };

    public Command Create(CliContext cli)
    {
        var list = new Command("list", "The error queues and how many messages each holds.");
        list.SetAction((r, ct) => ListAsync(cli, r, ct));
        var show = new Command("show", "The messages of one error queue (read, not taken), with their fault.") { _queue, _limit };
        show.SetAction((r, ct) => ShowAsync(cli, r, ct));
        var replay = new Command("replay", "Move messages back to the endpoint they faulted on, once the cause is fixed.") { _queue, _id, _all };
        replay.SetAction((r, ct) => ReplayAsync(cli, r, ct));
        var command = new Command("error-queues", "List, show and replay the messages in the broker's _error queues.") { list, show, replay };
        command.SetAction((r, ct) => ListAsync(cli, r, ct));
        return command;
    }

    private static async Task<int> ListAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        var (code, data) = await CallAsync(cli, r, HttpMethod.Get, Path, null, ct);
        if (code != Ok) return code;
        var queues = data.GetProperty("queues").EnumerateArray().ToList();
        var width = queues.Count == 0 ? 0 : queues.Max(q => q.GetProperty("name").GetString()!.Length);
        foreach (var q in queues)
            await cli.Out.WriteLineAsync($"{q.GetProperty("name").GetString()!.PadRight(width)}  {q.GetProperty("messages").GetInt64()}");
        await cli.Out.WriteLineAsync($"{queues.Count} error queue(s), {data.GetProperty("total").GetInt64()} message(s)");
        return Ok;
    }

    private async Task<int> ShowAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        var queue = r.GetValue(_queue)!;
        var query = r.GetValue(_limit) is { } limit ? $"?limit={limit}" : "";
        var (code, data) = await CallAsync(cli, r, HttpMethod.Get, $"{Path}/{HostApi.Escape(queue)}/messages{query}", null, ct);
        if (code != Ok) return code;
        var messages = data.GetProperty("messages").EnumerateArray().ToList();
        await cli.Out.WriteLineAsync($"{queue}: {data.GetProperty("total").GetInt64()} message(s), showing {messages.Count}");
        foreach (var m in messages)
        {
            var type = m.GetProperty("message_types").EnumerateArray().Select(t => t.GetString()).FirstOrDefault() ?? "?";
            var fault = m.GetProperty("fault");
            string F(string name) => fault.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
            await cli.Out.WriteLineAsync($"  {m.GetProperty("message_id").GetString()}  {type}");
            await cli.Out.WriteLineAsync($"    {F("ExceptionType")}: {F("Message")}");
        }
        return Ok;
    }

    private async Task<int> ReplayAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        var queue = r.GetValue(_queue)!;
        var ids = r.GetValue(_id) ?? [];
        var all = r.GetValue(_all);
        if (all == ids.Length > 0)
        {
            await cli.Err.WriteLineAsync("give either --id (repeatable) or --all");
            return ApiError;
        }
        object body = all ? new { all = true } : new { message_ids = ids };
        var (code, data) = await CallAsync(cli, r, HttpMethod.Post, $"{Path}/{HostApi.Escape(queue)}/replay", body, ct);
        if (code != Ok) return code;
        var missing = data.GetProperty("not_found").EnumerateArray().Select(x => x.GetString()).ToList();
        await cli.Out.WriteLineAsync($"replayed {data.GetProperty("replayed").GetInt32()} message(s) from {queue}");
        if (missing.Count == 0) return Ok;
        await cli.Out.WriteLineAsync($"not in the queue: {string.Join(", ", missing)}");
        return NotFound;
    }

    private static async Task<(int Code, JsonElement Data)> CallAsync(CliContext cli, ParseResult r, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return (ApiError, default);
        var answer = await host.SendAsync(method, path, body, ct);
        if (answer.Ok && answer.HasData) return (Ok, answer.Data);
        await cli.Err.WriteLineAsync(answer.Describe());
        return (ApiError, default);
    }
}
