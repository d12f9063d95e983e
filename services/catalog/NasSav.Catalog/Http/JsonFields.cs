using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace NasSav.Catalog.Http;

/// <summary>
/// Typed access to fields of a JSON body. "Absent" and "null" are the same (the field keeps its default);
/// a value of the wrong type is an error message naming the field, never a silent coercion.
/// </summary>
public static class JsonFields
{
    public static bool IsAbsent(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    /// <summary>Strict JSON boolean (the UI sends real booleans).</summary>
    public static bool TryBool(JsonElement body, string name, bool fallback, out bool value, [NotNullWhen(false)] out string? error)
    {
        value = fallback;
        error = null;
        if (IsAbsent(body, name)) return true;
        var element = body.GetProperty(name);
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            value = element.GetBoolean();
            return true;
        }
        error = $"{name} 参数必须是布尔值";
        return false;
    }

    /// <summary>
    /// A boolean that also accepts the strings "true"/"false" (any case) — and reads "false" as false,
    /// unlike the peer, where any non-empty string was truthy.
    /// </summary>
    public static bool TryFlag(JsonElement body, string name, bool fallback, out bool value, [NotNullWhen(false)] out string? error)
    {
        value = fallback;
        error = null;
        if (IsAbsent(body, name)) return true;
        var element = body.GetProperty(name);
        switch (element.ValueKind)
        {
            case JsonValueKind.True or JsonValueKind.False:
                value = element.GetBoolean();
                return true;
            case JsonValueKind.String when string.Equals(element.GetString(), "true", StringComparison.OrdinalIgnoreCase):
                value = true;
                return true;
            case JsonValueKind.String when string.Equals(element.GetString(), "false", StringComparison.OrdinalIgnoreCase):
                value = false;
                return true;
            default:
                error = $"{name} 参数必须是布尔值";
                return false;
        }
    }

    /// <summary>An optional string; absent/null → null.</summary>
    public static bool TryString(JsonElement body, string name, out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (IsAbsent(body, name)) return true;
        var element = body.GetProperty(name);
        if (element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString();
            return true;
        }
        error = $"{name} 参数必须是字符串";
        return false;
    }

    /// <summary>An optional whole number; absent/null → fallback; 30.5, "30" and true are errors.</summary>
    public static bool TryInt(JsonElement body, string name, int fallback, out int value, [NotNullWhen(false)] out string? error)
    {
        value = fallback;
        error = null;
        if (IsAbsent(body, name)) return true;
        var element = body.GetProperty(name);
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number))
        {
            value = number;
            return true;
        }
        error = $"{name} 参数必须是整数";
        return false;
    }
}
