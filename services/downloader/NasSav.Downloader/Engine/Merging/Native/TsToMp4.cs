namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>
/// MPEG-TS carrying H.264 and/or AAC (ADTS), what HLS almost always carries, remuxed to MP4 as the
/// bytes arrive: each PES becomes samples written straight to the mdat. Every other stream type
/// that would be video or audio throws <see cref="UnsupportedStreamException"/> (ffmpeg then remuxes
/// instead); metadata streams (ID3, SCTE-35) are left out, as ffmpeg's <c>-map 0:v? -map 0:a?</c> does.
/// </summary>
internal sealed class TsToMp4 : IDisposable
{
    private const byte StreamH264 = 0x1B;
    private const byte StreamAdts = 0x0F;
    private const int AacFrameSamples = 1024;
    private static readonly HashSet<byte> Ignored = [0x05, 0x0D, 0x15, 0x86];

    private readonly TsDemuxer _demuxer;
    private readonly Mp4Writer _writer;
    /// <summary>The tracks in PMT order (ffmpeg numbers them so), read once they exist.</summary>
    private readonly List<Func<Mp4Track?>> _order = [];
    private int _videoPid = -1, _audioPid = -1;

    private Mp4Track? _video;
    private Unwrapper _videoClock;
    private long _firstDts = -1;
    private byte[]? _sps, _pps;

    private Mp4Track? _audio;
    private Unwrapper _audioClock;
    private long _audioStart = -1;
    private long _audioNext;
    private AdtsConfig? _aac;
    private byte[] _audioCarry = [];

    public TsToMp4(string output, long reserve)
    {
        _writer = new Mp4Writer(output, reserve);
        _demuxer = new TsDemuxer(OnPes) { OnProgram = OnProgram };
    }

    public void Feed(ReadOnlySpan<byte> data) => _demuxer.Feed(data);

    public void Finish()
    {
        _demuxer.Flush();
        if (_video is not null)
        {
            if (_sps is null || _pps is null) throw new UnsupportedStreamException("the H.264 stream never sent its SPS and PPS");
            _video.Avc = H264.Configure(_sps, _pps);
            var start = long.MaxValue;
            for (var i = 0; i < _video.Count; i++) start = Math.Min(start, _video.Decode[i] + _video.Composition[i]);
            _video.MediaStart = start;
            _video.PresentationStart90k = _firstDts + start;
        }
        var tracks = _order.Select(track => track()).OfType<Mp4Track>().Where(t => t.Count > 0).ToList();
        if (tracks.Count == 0) throw new UnsupportedStreamException("the transport stream holds no H.264 or AAC samples");
        _writer.Finish(tracks);
    }

    public void Dispose() => _writer.Dispose();

    private void OnProgram(IReadOnlyList<TsStream> streams)
    {
        foreach (var s in streams)
        {
            switch (s.StreamType)
            {
                case StreamH264 when _videoPid < 0:
                    _videoPid = s.Pid;
                    _order.Add(() => _video);
                    break;
                case StreamAdts when _audioPid < 0:
                    _audioPid = s.Pid;
                    _order.Add(() => _audio);
                    break;
                case StreamH264 or StreamAdts:
                    throw new UnsupportedStreamException($"the program has more than one {(s.StreamType == StreamH264 ? "H.264" : "AAC")} stream");
                default:
                    if (!Ignored.Contains(s.StreamType))
                        throw new UnsupportedStreamException($"stream type 0x{s.StreamType:X2} (PID {s.Pid}) is not H.264 or AAC");
                    break;
            }
        }
        if (_order.Count == 0) throw new UnsupportedStreamException("the program has no H.264 or AAC stream");
    }

    private void OnPes(TsStream stream, long? pts, long? dts, ReadOnlySpan<byte> payload)
    {
        if (stream.Pid == _videoPid) Video(pts, dts, payload);
        else if (stream.Pid == _audioPid) Audio(pts, payload);
    }

    private void Video(long? pts, long? dts, ReadOnlySpan<byte> payload)
    {
        if (pts is not { } p) throw new UnsupportedStreamException("an H.264 PES packet has no timestamp");
        var rawDts = dts ?? p;
        var decode = _videoClock.Next(rawDts);
        var composition = (p - rawDts) & Unwrapper.Mask;
        if (composition > int.MaxValue) throw new UnsupportedStreamException("an H.264 frame is presented before it is decoded");
        if (_firstDts < 0) _firstDts = decode;
        _video ??= new Mp4Track(video: true, timescale: 90000);

        _writer.BeginSample(_video);
        var size = 0;
        var key = false;
        foreach (var nal in H264.Nals(payload))
        {
            switch (nal[0] & 0x1F)
            {
                case H264.NalIdr: key = true; break;
                case H264.NalSei when !key && H264.HasRecoveryPoint(nal): key = true; break;
                case H264.NalSps: _sps ??= nal.ToArray(); break;
                case H264.NalPps: _pps ??= nal.ToArray(); break;
            }
            size += _writer.WriteNal(nal);
        }
        _video.Add(size, decode - _firstDts, (int)composition, key);
    }

    private void Audio(long? pts, ReadOnlySpan<byte> payload)
    {
        if (pts is { } p)
        {
            var time = _audioClock.Next(p);
            if (_audioStart < 0)
            {
                _audioStart = time;
            }
            else if (_aac is not null)
            {
                // A hole in the audio (more than a frame) is kept as a longer sample, so sync holds after it.
                var actual = (long)Math.Round((time - _audioStart) * (double)_aac.SampleRate / 90000);
                if (actual - _audioNext > AacFrameSamples) _audioNext = actual;
            }
        }
        if (_audioStart < 0) return;   // nothing to place audio before its first timestamp

        ReadOnlySpan<byte> data = payload;
        if (_audioCarry.Length > 0)
        {
            var joined = new byte[_audioCarry.Length + payload.Length];
            _audioCarry.CopyTo(joined, 0);
            payload.CopyTo(joined.AsSpan(_audioCarry.Length));
            data = joined;
            _audioCarry = [];
        }
        while (Adts.Header(data) is var (config, header, frame))
        {
            if (frame > data.Length) break;
            if (_aac is null)
            {
                if (config.SampleRate > ushort.MaxValue) throw new UnsupportedStreamException($"AAC at {config.SampleRate} Hz does not fit an mp4a sample entry");
                _aac = config;
                _audio = new Mp4Track(video: false, timescale: (uint)config.SampleRate) { Aac = config, PresentationStart90k = _audioStart };
            }
            else if (config != _aac)
            {
                throw new UnsupportedStreamException($"the AAC configuration changes mid-stream ({_aac} to {config})");
            }
            _writer.BeginSample(_audio!);
            _writer.Write(data[header..frame]);
            _audio!.Add(frame - header, _audioNext, 0, sync: true);
            _audioNext += AacFrameSamples;
            data = data[frame..];
        }
        if (data.Length > 0) _audioCarry = data.ToArray();
    }

    /// <summary>The 33-bit 90 kHz transport clock made monotonic across its wrap (every 26.5 hours).</summary>
    private struct Unwrapper
    {
        public const long Mask = (1L << 33) - 1;
        private long _offset;
        private long _last;
        private bool _started;

        public long Next(long raw)
        {
            var value = raw + _offset;
            if (_started && value < _last - (1L << 32))
            {
                _offset += 1L << 33;
                value += 1L << 33;
            }
            _started = true;
            _last = value;
            return value;
        }
    }
}
