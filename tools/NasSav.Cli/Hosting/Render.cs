using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace NasSav.Cli.Hosting;

/// <summary>
/// Tables, key/value lists and JSON, the same way in every command: a Spectre table on a terminal, plain aligned
/// columns (no borders, no colour) otherwise, JSON with <c>--json</c>.
/// </summary>
public static class Render
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One JSON object on one line (NDJSON: a stream of events a script reads line by line).</summary>
    public static readonly JsonSerializerOptions JsonLineOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Json(CliContext cli, JsonElement value) => cli.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public static void JsonLine(CliContext cli, object value) => cli.Out.WriteLine(JsonSerializer.Serialize(value, JsonLineOptions));

    public static void Table(CliContext cli, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var list = rows.ToList();
        if (cli.IsTerminal)
        {
            cli.Ansi.Write(SpectreTable(headers, list));
            return;
        }
        foreach (var line in PlainLines(headers, list)) cli.Out.WriteLine(line);
    }

    public static Table SpectreTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in headers) table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var row in rows) table.AddRow(row.Select(c => Markup.Escape(c ?? "")).ToArray());
        return table;
    }

    /// <summary>Columns padded to the widest cell, two spaces apart; the last column unpadded.</summary>
    public static IEnumerable<string> PlainLines(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string?>> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => (r.ElementAtOrDefault(i) ?? "").Length))).ToArray();
        string Line(IReadOnlyList<string?> cells) => string.Join("  ",
            cells.Select((c, i) => i == cells.Count - 1 ? c ?? "" : (c ?? "").PadRight(widths[i]))).TrimEnd();
        yield return Line(headers.Select(h => (string?)h.ToUpperInvariant()).ToList());
        foreach (var row in rows) yield return Line(row);
    }

    /// <summary>"key: value" lines (aligned), for one object.</summary>
    public static void Pairs(CliContext cli, IEnumerable<(string Key, string? Value)> pairs)
    {
        var list = pairs.ToList();
        var width = list.Count == 0 ? 0 : list.Max(p => p.Key.Length);
        if (cli.IsTerminal)
        {
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            foreach (var (k, v) in list) grid.AddRow(new Markup($"[bold]{Markup.Escape(k)}[/]"), new Text(v ?? ""));
            cli.Ansi.Write(grid);
            return;
        }
        foreach (var (k, v) in list) cli.Out.WriteLine($"{(k + ":").PadRight(width + 1)} {v}");
    }

    /// <summary>A JSON value as one line of text: strings unquoted, arrays joined with ", ", null as "".</summary>
    public static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() ?? "",
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => string.Join(", ", e.EnumerateArray().Select(Text)),
        JsonValueKind.Object => e.GetRawText(),
        _ => "",
    };

    public static string Text(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) ? Text(v) : "";

    /// <summary>A number property, or null when absent, null or not a number (the API sends null for "unknown").</summary>
    public static double? Number(JsonElement obj, string property) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    public static string Size(long? bytes) => bytes is { } b ? NasSav.Downloader.Downloads.ProgressFormat.Bytes(b) : "";

    /// <summary>Epoch seconds (the API's times) or ISO 8601 as local "yyyy-MM-dd HH:mm:ss".</summary>
    public static string Time(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var seconds))
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        if (e.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            return t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return Text(e);
    }
}
