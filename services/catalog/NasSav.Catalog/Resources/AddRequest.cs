using System.Text.Json;
using NasSav.Catalog.Http;
using NasSav.Catalog.Sources;
using NasSav.Media.Avids;

namespace NasSav.Catalog.Resources;

/// <summary>The add request's validation, shared by POST /resource and the batch "add" action.</summary>
public static class AddRequest
{
    public const string AnySource = "any";

    public sealed record Problem(int Code, string Message, object? Data);

    /// <summary>avid: required string, trimmed, ≤ 50, a valid AVID. Errors use the peer's serializer form {field: [msg]}.</summary>
    public static Problem? ReadAvid(JsonElement body, out Avid avid)
    {
        avid = default;
        if (JsonFields.IsAbsent(body, "avid")) return FieldError("avid", "该字段是必填项。");
        var element = body.GetProperty("avid");
        if (element.ValueKind != JsonValueKind.String) return FieldError("avid", "不是有效的字符串。");
        var raw = element.GetString()!.Trim();
        if (raw.Length == 0) return FieldError("avid", "该字段不能为空。");
        if (raw.Length > Avid.MaxLength) return FieldError("avid", $"请确保这个字段不能超过 {Avid.MaxLength} 个字符。");
        if (!Avid.TryParse(raw, out avid, out var message)) return new Problem(400, message, new Dictionary<string, string[]> { ["avid"] = [message] });
        return null;
    }

    /// <summary>source: optional string, default "any", case-insensitive; unknown → 400 with the available sources.</summary>
    public static Problem? ReadSource(JsonElement body, SourceRegistry sources, out string source)
    {
        source = AnySource;
        if (JsonFields.IsAbsent(body, "source")) return null;
        var element = body.GetProperty("source");
        if (element.ValueKind != JsonValueKind.String) return FieldError("source", "不是有效的字符串。");
        var raw = element.GetString()!.Trim();
        if (raw.Length == 0 || raw.Equals(AnySource, StringComparison.OrdinalIgnoreCase)) return null;
        if (sources.Find(raw) is not { } found)
            return new Problem(400, $"源 {raw.ToLowerInvariant()} 不存在", new { available_sources = sources.DisplayNames });
        source = found.Name;
        return null;
    }

    private static Problem FieldError(string field, string message) =>
        new(400, "参数错误", new Dictionary<string, string[]> { [field] = [message] });
}
