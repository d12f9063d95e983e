using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>
/// Writes an MP4 in one pass with the index at the front (what faststart gives, without its second
/// pass over the file): ftyp, room reserved for the moov, then mdat with samples as they come. At
/// <see cref="Finish"/> the moov goes into the room and the rest stays a "free" box. The room is a
/// sparse hole until then, so a generous reserve costs no writing.
/// </summary>
internal sealed class Mp4Writer : IDisposable
{
    private static readonly byte[] Ftyp = BuildFtyp();
    private readonly SafeFileHandle _file;
    private readonly BackgroundFileWriter _mdat;
    private readonly long _mdatStart;
    private Mp4Track? _current;

    public Mp4Writer(string path, long reserve)
    {
        _file = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        RandomAccess.Write(_file, Ftyp, 0);
        _mdatStart = Ftyp.Length + reserve;
        _mdat = new BackgroundFileWriter(_file, _mdatStart);
        Span<byte> mdat = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mdat, 1);   // the size is the 64-bit one that follows
        "mdat"u8.CopyTo(mdat[4..]);
        _mdat.Write(mdat);
    }

    private long Position => _mdat.Position;

    /// <summary>A sample of <paramref name="track"/> follows; a new chunk starts when the previous sample was another track's.</summary>
    public void BeginSample(Mp4Track track)
    {
        if (ReferenceEquals(_current, track)) return;
        track.StartChunk(Position);
        _current = track;
    }

    public void Write(ReadOnlySpan<byte> data) => _mdat.Write(data);

    /// <summary>One NAL unit with its 4-byte length prefix (avcC form); returns the bytes written.</summary>
    public int WriteNal(ReadOnlySpan<byte> nal)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, nal.Length);
        Write(length);
        Write(nal);
        return 4 + nal.Length;
    }

    /// <summary>Writes the moov for <paramref name="tracks"/> (numbered in this order) into the reserved room and completes the mdat.</summary>
    public void Finish(IReadOnlyList<Mp4Track> tracks)
    {
        for (var i = 0; i < tracks.Count; i++) tracks[i].Id = i + 1;
        var moov = MoovBuilder.Build(tracks);
        var room = _mdatStart - Ftyp.Length;
        if (moov.Length != room && moov.Length + 8 > room)
            throw new UnsupportedStreamException($"the index ({moov.Length} bytes) is larger than the room reserved for it ({room} bytes)");
        var end = Position;
        _mdat.Complete();
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(header, end - _mdatStart);
        RandomAccess.Write(_file, header, _mdatStart + 8);
        RandomAccess.Write(_file, moov, Ftyp.Length);
        if (room > moov.Length)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header, checked((uint)(room - moov.Length)));
            "free"u8.CopyTo(header[4..]);
            RandomAccess.Write(_file, header, Ftyp.Length + moov.Length);
        }
    }

    public void Dispose()
    {
        _mdat.Dispose();
        _file.Dispose();
    }

    private static byte[] BuildFtyp()
    {
        var w = new BoxWriter(32);
        var ftyp = w.Begin("ftyp");
        w.Ascii("isom");
        w.U32(0x200);
        w.Ascii("isomiso2avc1mp41");
        w.End(ftyp);
        return w.Written.ToArray();
    }
}
