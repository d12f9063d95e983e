using System.Text;
using System.Text.Json;

namespace NasSav.ServiceDefaults.Http;

/// <summary>
/// The one place untrusted JSON (request bodies, WebSocket frames) is turned into a <see cref="JsonElement"/>.
/// Everything a handler could trip over later is refused here with a plain message naming the problem and,
/// where known, the field: syntax errors (with line and position, never the parser's own wording), nesting
/// deeper than <see cref="MaxDepth"/>, duplicate keys (which of the two would win is a guess), strings that
/// cannot be decoded (a lone UTF-16 surrogate such as <c>"\ud800"</c>, invalid UTF-8: <c>GetString()</c> would
/// throw later) and NUL characters (no field takes them, PostgreSQL text refuses them). A UTF-8 byte order
/// mark is accepted. Handlers may therefore call <c>GetString()</c> on any string of the result.
/// </summary>
public static class JsonInput
{
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth + 1,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Any JSON value; on failure <paramref name="error"/> says why (Chinese, for the API envelope).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out JsonElement value, out string? error)
    {
        value = default;
        if (utf8.StartsWith(Encoding.UTF8.Preamble)) utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        error = Validate(utf8);
        if (error is not null) return false;
        try
        {
            using var doc = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
            value = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException ex)
        {
            // Validate read the same bytes with the same rules; this is only a safety net.
            error = SyntaxMessage(ex.LineNumber, ex.BytePositionInLine);
            return false;
        }
    }

    /// <summary>A JSON object; anything else (array, string, number...) is an error.</summary>
    public static bool TryParseObject(ReadOnlySpan<byte> utf8, out JsonElement value, out string? error)
    {
        if (!TryParse(utf8, out value, out error)) return false;
        if (value.ValueKind == JsonValueKind.Object) return true;
        value = default;
        error = "请求体必须是 JSON 对象";
        return false;
    }

    /// <summary>One forward pass over the tokens: the first problem, or null.</summary>
    private static string? Validate(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            // The reader's own limit sits above ours so that depth is reported in our words.
            MaxDepth = MaxDepth + 2,
            CommentHandling = JsonCommentHandling.Disallow,
        });
        var path = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (path.Count > 0) path[^1].Advance();
                        if (path.Count >= MaxDepth) return $"请求体嵌套过深 (最多 {MaxDepth} 层)";
                        path.Add(new Frame(reader.TokenType == JsonTokenType.StartObject));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        if (!TryDecode(ref reader, out var name))
                            return "请求体含有无法解码的字段名 (孤立的 UTF-16 代理项如 \\ud800，或无效的 UTF-8)";
                        if (name.Contains('\0')) return "请求体含有带 NUL 字符的字段名";
                        var frame = path[^1];
                        frame.Property = name;
                        if (!frame.Seen.Add(name)) return $"字段 {Describe(path)} 重复出现";
                        break;
                    default:
                        if (path.Count > 0) path[^1].Advance();
                        if (reader.TokenType != JsonTokenType.String) break;
                        if (!TryDecode(ref reader, out var text))
                            return $"{Where(path, "请求体")}不是有效的文本 (孤立的 UTF-16 代理项如 \\ud800，或无效的 UTF-8)";
                        if (text.Contains('\0')) return $"{Where(path, "请求体")}含有 NUL 字符";
                        break;
                }
            }
            return null;
        }
        catch (JsonException ex)
        {
            return SyntaxMessage(ex.LineNumber, ex.BytePositionInLine);
        }
    }

    private static bool TryDecode(ref Utf8JsonReader reader, out string text)
    {
        try
        {
            text = reader.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static string SyntaxMessage(long? line, long? position) =>
        line is { } l && position is { } p
            ? $"请求体不是有效的 JSON: 第 {l + 1} 行第 {p + 1} 个字节附近有语法错误"
            : "请求体不是有效的 JSON";

    /// <summary>"字段 avids[2] " for a value inside the body, <paramref name="root"/> for the body itself.</summary>
    private static string Where(List<Frame> path, string root)
    {
        var described = Describe(path);
        return described.Length == 0 ? root : $"字段 {described} ";
    }

    /// <summary>actions[0].avid: property names and array indexes down to the current token.</summary>
    private static string Describe(List<Frame> path)
    {
        var sb = new StringBuilder();
        foreach (var frame in path)
        {
            if (frame.IsObject)
            {
                if (frame.Property is null) break;
                if (sb.Length > 0) sb.Append('.');
                sb.Append(frame.Property);
            }
            else
            {
                if (frame.Index < 0) break;
                sb.Append('[').Append(frame.Index).Append(']');
            }
        }
        return sb.ToString();
    }

    private sealed class Frame(bool isObject)
    {
        public bool IsObject { get; } = isObject;
        public string? Property { get; set; }
        public int Index { get; private set; } = -1;
        public HashSet<string> Seen { get; } = isObject ? new(StringComparer.Ordinal) : [];

        /// <summary>A value starts in this container: arrays count their items.</summary>
        public void Advance()
        {
            if (!IsObject) Index++;
        }
    }
}
