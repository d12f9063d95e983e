using System.Text;

namespace NasSav.ServiceDefaults.Redis;

public enum RespKind { SimpleString, Error, Integer, BulkString, Array, Null }

/// <summary>One RESP2 answer. Bulk strings stay bytes until asked for as text.</summary>
public sealed class RespValue
{
    public static readonly RespValue Null = new(RespKind.Null);

    public RespKind Kind { get; }
    public string? Text { get; private init; }
    public byte[]? Bytes { get; private init; }
    public long Integer { get; private init; }
    public IReadOnlyList<RespValue>? Items { get; private init; }

    private RespValue(RespKind kind) => Kind = kind;

    public static RespValue Simple(string text) => new(RespKind.SimpleString) { Text = text };
    public static RespValue Error(string text) => new(RespKind.Error) { Text = text };
    public static RespValue Int(long value) => new(RespKind.Integer) { Integer = value };
    public static RespValue Bulk(byte[] bytes) => new(RespKind.BulkString) { Bytes = bytes };
    public static RespValue Array(IReadOnlyList<RespValue> items) => new(RespKind.Array) { Items = items };

    public bool IsNull => Kind == RespKind.Null;

    /// <summary>Text of a simple or bulk string (UTF-8), an integer's digits, or null.</summary>
    public string? AsString() => Kind switch
    {
        RespKind.SimpleString or RespKind.Error => Text,
        RespKind.BulkString => Encoding.UTF8.GetString(Bytes!),
        RespKind.Integer => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    public long AsInteger() => Kind switch
    {
        RespKind.Integer => Integer,
        RespKind.BulkString or RespKind.SimpleString when long.TryParse(AsString(), out var n) => n,
        RespKind.Null => 0,
        _ => throw new InvalidCastException($"a RESP {Kind} is not an integer"),
    };

    public IReadOnlyList<RespValue> AsArray() => Items ?? (IsNull ? [] : throw new InvalidCastException($"a RESP {Kind} is not an array"));

    public override string ToString() => Kind switch
    {
        RespKind.Array => "[" + string.Join(", ", Items!) + "]",
        RespKind.Null => "(nil)",
        _ => AsString() ?? "",
    };
}
