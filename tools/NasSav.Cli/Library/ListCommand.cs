using System.CommandLine;
using System.Text.Json;
using NasSav.Cli.Hosting;

namespace NasSav.Cli.Library;

/// <summary><c>nassav list</c>: <c>GET /resources/</c> as a table, or <c>--json</c> (<c>{items, pagination}</c>).</summary>
public sealed class ListCommand : ICliCommand
{
    private readonly Option<string?> _status = new("--status") { Description = "downloaded, pending or all." };
    private readonly Option<string?> _search = new("--search", "-s") { Description = "Substring of the AVID or a title." };
    private readonly Option<string?> _actor = new("--actor") { Description = "Actor id or name substring." };
    private readonly Option<string?> _genre = new("--genre") { Description = "Genre id or name substring." };
    private readonly Option<string> _sort = new("--sort") { Description = "avid, metadata_create_time, metadata_update_time, video_create_time or source.", DefaultValueFactory = _ => "metadata_create_time" };
    private readonly Option<string> _order = new("--order") { Description = "asc or desc.", DefaultValueFactory = _ => "desc" };
    private readonly Option<int> _page = new("--page") { Description = "Page number.", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _pageSize = new("--page-size") { Description = "Titles per page (1-100).", DefaultValueFactory = _ => 20 };
    private readonly Option<bool> _all = new("--all") { Description = "Every page." };
    private readonly Option<bool> _json = new("--json") { Description = "JSON: {items, pagination}." };

    public Command Create(CliContext cli)
    {
        var command = new Command("list", "List the library (table or --json).") { _status, _search, _actor, _genre, _sort, _order, _page, _pageSize, _all, _json };
        command.SetAction((r, ct) => RunAsync(cli, r, ct));
        return command;
    }

    private async Task<int> RunAsync(CliContext cli, ParseResult r, CancellationToken ct)
    {
        if (cli.Host(r) is not { } host) return ExitCodes.Refused;
        var all = r.GetValue(_all);
        var page = all ? 1 : r.GetValue(_page);
        var pageSize = all ? 100 : r.GetValue(_pageSize);
        var items = new List<JsonElement>();
        JsonElement pagination = default;
        while (true)
        {
            var query = new List<string> { $"page={page}", $"page_size={pageSize}", $"sort_by={HostApi.Escape(r.GetValue(_sort)!)}", $"order={HostApi.Escape(r.GetValue(_order)!)}" };
            if (r.GetValue(_status) is { } status) query.Add("status=" + HostApi.Escape(status));
            if (r.GetValue(_search) is { } search) query.Add("search=" + HostApi.Escape(search));
            if (r.GetValue(_actor) is { } actor) query.Add("actor=" + HostApi.Escape(actor));
            if (r.GetValue(_genre) is { } genre) query.Add("genre=" + HostApi.Escape(genre));
            var answer = await host.GetAsync("resources/?" + string.Join("&", query), ct);
            if (!answer.Ok || answer.Data.ValueKind != JsonValueKind.Array)
            {
                await cli.Err.WriteLineAsync(answer.Describe());
                return ExitCodes.Refused;
            }
            items.AddRange(answer.Data.EnumerateArray());
            using (var doc = JsonDocument.Parse(answer.Body))
                pagination = doc.RootElement.TryGetProperty("pagination", out var p) ? p.Clone() : default;
            var pages = pagination.ValueKind == JsonValueKind.Object ? pagination.GetProperty("pages").GetInt32() : 1;
            if (!all || page >= pages) break;
            page++;
        }

        if (r.GetValue(_json))
        {
            Render.JsonLine(cli, new { items, pagination = pagination.ValueKind == JsonValueKind.Object ? (object)pagination : null });
            return ExitCodes.Ok;
        }
        Render.Table(cli, ["avid", "title", "source", "released", "video", "genres"], items.Select(i => (IReadOnlyList<string?>)
        [
            Render.Text(i, "avid"), AddCommand.Title(i) ?? "", Render.Text(i, "source"), Render.Text(i, "release_date"),
            i.TryGetProperty("has_video", out var v) && v.ValueKind == JsonValueKind.True ? "yes" : "-", Render.Text(i, "genres"),
        ]));
        if (pagination.ValueKind == JsonValueKind.Object)
            cli.Line(all
                ? $"{items.Count} titles"
                : $"page {pagination.GetProperty("page").GetInt32()}/{pagination.GetProperty("pages").GetInt32()}, {pagination.GetProperty("total").GetInt32()} titles");
        return ExitCodes.Ok;
    }
}
