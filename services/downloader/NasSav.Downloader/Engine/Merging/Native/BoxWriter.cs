using System.Buffers.Binary;
using System.Text;

namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>
/// Builds ISO BMFF boxes in memory, big-endian. <see cref="Begin"/> writes a size placeholder and the
/// four-character type; <see cref="End"/> patches the size once the box's content is known.
/// </summary>
internal sealed class BoxWriter(int capacity = 4096)
{
    private byte[] _buffer = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public int Begin(string type)
    {
        var start = Length;
        U32(0);
        Ascii(type);
        return start;
    }

    public int BeginFull(string type, byte version, uint flags)
    {
        var start = Begin(type);
        U32(((uint)version << 24) | (flags & 0xFFFFFF));
        return start;
    }

    public void End(int start) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(start), checked((uint)(Length - start)));

    /// <summary>Moves the write position (to patch a count written before its entries were known).</summary>
    public void Rewind(int position) => Length = position;

    public void U8(byte value) => Take(1)[0] = value;
    public void U16(int value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), (ushort)value);
    public void U24(int value)
    {
        var span = Take(3);
        span[0] = (byte)(value >> 16);
        span[1] = (byte)(value >> 8);
        span[2] = (byte)value;
    }
    public void U32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);
    public void I32(int value) => BinaryPrimitives.WriteInt32BigEndian(Take(4), value);
    public void U64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), value);
    public void Zeros(int count) => Take(count).Clear();
    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));
    public void Ascii(string text) => Encoding.ASCII.GetBytes(text, Take(text.Length));

    /// <summary>The identity transformation matrix of mvhd and tkhd.</summary>
    public void Matrix()
    {
        U32(0x00010000); U32(0); U32(0);
        U32(0); U32(0x00010000); U32(0);
        U32(0); U32(0); U32(0x40000000);
    }

    private Span<byte> Take(int count)
    {
        if (Length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
