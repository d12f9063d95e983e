using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace NasSav.ServiceDefaults.Redis;

/// <summary>RESP2 framing: commands as arrays of bulk strings, answers parsed from a buffered stream.</summary>
internal static class RespWriter
{
    public static void WriteCommand(IBufferWriter<byte> output, IReadOnlyList<byte[]> args)
    {
        WriteHeader(output, (byte)'*', args.Count);
        foreach (var arg in args)
        {
            WriteHeader(output, (byte)'$', arg.Length);
            output.Write(arg);
            output.Write("\r\n"u8);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte type, long n)
    {
        var span = output.GetSpan(24);
        span[0] = type;
        Utf8Formatter.TryFormat(n, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(3 + written);
    }

    public static byte[] ToBytes(object arg) => arg switch
    {
        byte[] b => b,
        string s => Encoding.UTF8.GetBytes(s),
        long l => Encoding.ASCII.GetBytes(l.ToString(CultureInfo.InvariantCulture)),
        int i => Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"a Redis argument must be a string, bytes or an integer, not {arg.GetType().Name}"),
    };
}

/// <summary>Reads whole answers from a stream through its own buffer (one reader per connection).</summary>
internal sealed class RespReader(Stream stream)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public async ValueTask<RespValue> ReadAsync(CancellationToken ct)
    {
        var line = await ReadLineAsync(ct);
        if (line.Length == 0) throw new InvalidDataException("empty RESP header line");
        var rest = line[1..];
        switch (line[0])
        {
            case '+': return RespValue.Simple(rest);
            case '-': return RespValue.Error(rest);
            case ':': return RespValue.Int(ParseLong(rest));
            case '$':
            {
                var length = ParseLong(rest);
                if (length < 0) return RespValue.Null;
                var bytes = await ReadExactAsync(checked((int)length), ct);
                await ReadExactAsync(2, ct); // CRLF after the payload
                return RespValue.Bulk(bytes);
            }
            case '*':
            {
                var count = ParseLong(rest);
                if (count < 0) return RespValue.Null;
                var items = new RespValue[count];
                for (var i = 0; i < count; i++) items[i] = await ReadAsync(ct);
                return RespValue.Array(items);
            }
            default: throw new InvalidDataException($"unexpected RESP type byte '{line[0]}' in \"{line}\"");
        }
    }

    private static long ParseLong(string s) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw new InvalidDataException($"bad RESP length \"{s}\"");

    private async ValueTask<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var index = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (index > _start && _buffer[index - 1] == '\r')
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, index - 1 - _start);
                _start = index + 1;
                return line;
            }
            await FillAsync(ct);
        }
    }

    private async ValueTask<byte[]> ReadExactAsync(int count, CancellationToken ct)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end) await FillAsync(ct);
            var n = Math.Min(count - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, copied, n);
            _start += n;
            copied += n;
        }
        return result;
    }

    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2); // a header line longer than the buffer
        var n = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (n == 0) throw new EndOfStreamException("the server closed the connection");
        _end += n;
    }
}
