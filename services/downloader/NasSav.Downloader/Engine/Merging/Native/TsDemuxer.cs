namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>One elementary stream of the program, as the PMT announces it.</summary>
internal sealed record TsStream(int Pid, byte StreamType);

/// <summary>A complete PES packet: timestamps on the 90 kHz clock (33-bit, not yet unwrapped) and its payload.</summary>
internal delegate void PesHandler(TsStream stream, long? pts, long? dts, ReadOnlySpan<byte> payload);

/// <summary>
/// MPEG-TS to PES packets, fed in arbitrary slices (a segment at a time): 188-byte packets, the first
/// program of the PAT, its PMT, and PES reassembly per elementary stream. A PES ends where the next
/// one of its stream starts, or at <see cref="Flush"/>. Anything it cannot vouch for (lost sync,
/// scrambling, a program that changes its streams) throws <see cref="UnsupportedStreamException"/>.
/// </summary>
internal sealed class TsDemuxer(PesHandler onPes)
{
    private const int PacketSize = 188;
    private const byte SyncByte = 0x47;

    private readonly byte[] _carry = new byte[PacketSize];
    private int _carried;
    private long _offset;
    private int _pmtPid = -1;
    private List<TsStream>? _streams;
    private readonly Dictionary<int, PesBuffer> _pes = [];

    /// <summary>The program's elementary streams, in PMT order; null until the PMT has been seen.</summary>
    public IReadOnlyList<TsStream>? Streams => _streams;

    /// <summary>Called once, when the PMT is first seen: may throw to refuse the program.</summary>
    public Action<IReadOnlyList<TsStream>>? OnProgram { get; init; }

    public void Feed(ReadOnlySpan<byte> data)
    {
        if (_carried > 0)
        {
            var take = Math.Min(PacketSize - _carried, data.Length);
            data[..take].CopyTo(_carry.AsSpan(_carried));
            _carried += take;
            data = data[take..];
            if (_carried < PacketSize) return;
            Packet(_carry);
            _carried = 0;
        }
        while (data.Length >= PacketSize)
        {
            Packet(data[..PacketSize]);
            data = data[PacketSize..];
        }
        data.CopyTo(_carry);
        _carried = data.Length;
    }

    /// <summary>End of input: the last PES of every stream is complete.</summary>
    public void Flush()
    {
        if (_carried > 0) throw new UnsupportedStreamException($"the transport stream ends with a partial packet ({_carried} bytes)");
        foreach (var buffer in _pes.Values)
        {
            if (buffer.Length > 0) Emit(buffer);
        }
    }

    private void Packet(ReadOnlySpan<byte> p)
    {
        var at = _offset;
        _offset += PacketSize;
        if (p[0] != SyncByte) throw new UnsupportedStreamException($"MPEG-TS sync lost at byte {at}");
        if ((p[1] & 0x80) != 0) return;   // transport error indicator: the packet is known bad
        var unitStart = (p[1] & 0x40) != 0;
        var pid = ((p[1] & 0x1F) << 8) | p[2];
        if ((p[3] & 0xC0) != 0 && pid != 0x1FFF) throw new UnsupportedStreamException($"scrambled MPEG-TS packet (PID {pid}) at byte {at}");
        var adaptation = (p[3] >> 4) & 3;
        if ((adaptation & 1) == 0) return;   // no payload
        var start = 4;
        if ((adaptation & 2) != 0) start = 5 + p[4];
        if (start >= PacketSize) return;
        var payload = p[start..];

        if (pid == 0) Pat(unitStart, payload);
        else if (pid == _pmtPid) Pmt(unitStart, payload);
        else if (_pes.TryGetValue(pid, out var buffer)) Pes(buffer, unitStart, payload);
    }

    private static ReadOnlySpan<byte> Section(bool unitStart, ReadOnlySpan<byte> payload, byte tableId)
    {
        if (!unitStart) return default;
        var pointer = payload[0];
        if (1 + pointer + 3 > payload.Length) return default;
        var section = payload[(1 + pointer)..];
        if (section[0] != tableId) return default;
        var length = ((section[1] & 0x0F) << 8) | section[2];
        if (3 + length > section.Length) throw new UnsupportedStreamException($"a PSI table (id {tableId}) spans several packets");
        return section[..(3 + length - 4)];   // without the CRC
    }

    private void Pat(bool unitStart, ReadOnlySpan<byte> payload)
    {
        var section = Section(unitStart, payload, 0x00);
        for (var i = 8; i + 4 <= section.Length; i += 4)
        {
            var program = (section[i] << 8) | section[i + 1];
            if (program == 0) continue;   // the network PID
            var pmt = ((section[i + 2] & 0x1F) << 8) | section[i + 3];
            if (_pmtPid >= 0 && pmt != _pmtPid) throw new UnsupportedStreamException($"the program moved its PMT from PID {_pmtPid} to {pmt}");
            _pmtPid = pmt;
            return;
        }
    }

    private void Pmt(bool unitStart, ReadOnlySpan<byte> payload)
    {
        var section = Section(unitStart, payload, 0x02);
        if (section.Length < 12) return;
        var programInfo = ((section[10] & 0x0F) << 8) | section[11];
        var streams = new List<TsStream>();
        for (var i = 12 + programInfo; i + 5 <= section.Length;)
        {
            var pid = ((section[i + 1] & 0x1F) << 8) | section[i + 2];
            streams.Add(new TsStream(pid, section[i]));
            i += 5 + (((section[i + 3] & 0x0F) << 8) | section[i + 4]);
        }
        if (_streams is null)
        {
            OnProgram?.Invoke(streams);
            _streams = streams;
            foreach (var s in streams) _pes[s.Pid] = new PesBuffer(s);
        }
        else if (!_streams.SequenceEqual(streams))
        {
            throw new UnsupportedStreamException("the program changes its elementary streams mid-stream");
        }
    }

    private void Pes(PesBuffer buffer, bool unitStart, ReadOnlySpan<byte> payload)
    {
        if (unitStart)
        {
            if (buffer.Length > 0) Emit(buffer);
            buffer.Started = true;
        }
        if (buffer.Started) buffer.Append(payload);
    }

    private void Emit(PesBuffer buffer)
    {
        var stream = buffer.Stream;
        var pes = buffer.Data;
        buffer.Reset();
        if (pes.Length < 9 || pes[0] != 0 || pes[1] != 0 || pes[2] != 1)
            throw new UnsupportedStreamException($"PID {stream.Pid} carries a PES packet without a start code");
        var declared = (pes[4] << 8) | pes[5];
        if (declared != 0 && 6 + declared < pes.Length) pes = pes[..(6 + declared)];
        var flags = pes[7] >> 6;
        var headerEnd = 9 + pes[8];
        if (headerEnd > pes.Length) throw new UnsupportedStreamException($"PID {stream.Pid} carries a truncated PES header");
        long? pts = (flags & 2) != 0 ? Timestamp(pes[9..]) : null;
        long? dts = flags == 3 ? Timestamp(pes[14..]) : null;
        onPes(stream, pts, dts, pes[headerEnd..]);
    }

    private static long Timestamp(ReadOnlySpan<byte> b) =>
        ((long)((b[0] >> 1) & 0x07) << 30) | ((long)b[1] << 22) | ((long)(b[2] >> 1) << 15) | ((long)b[3] << 7) | ((long)b[4] >> 1);

    /// <summary>A growing buffer per PID, reused from one PES to the next.</summary>
    private sealed class PesBuffer(TsStream stream)
    {
        public TsStream Stream { get; } = stream;
        private byte[] _data = new byte[64 * 1024];

        public int Length { get; private set; }
        public bool Started { get; set; }
        public ReadOnlySpan<byte> Data => _data.AsSpan(0, Length);

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (Length + bytes.Length > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, Length + bytes.Length));
            bytes.CopyTo(_data.AsSpan(Length));
            Length += bytes.Length;
        }

        public void Reset() => Length = 0;
    }
}
