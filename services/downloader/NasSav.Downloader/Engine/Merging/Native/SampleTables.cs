namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>The stbl box of a track: sample description, then run-length time tables, sizes and chunk offsets.</summary>
internal static class SampleTables
{
    public static void Write(BoxWriter w, Mp4Track t)
    {
        var stbl = w.Begin("stbl");
        Description(w, t);

        var stts = w.BeginFull("stts", 0, 0);
        Runs(w, t.Count, i => t.Duration(i));
        w.End(stts);

        if (t.Video && t.Sync.Count < t.Count)
        {
            var stss = w.BeginFull("stss", 0, 0);
            w.U32((uint)t.Sync.Count);
            foreach (var s in t.Sync) w.U32((uint)(s + 1));
            w.End(stss);
        }

        if (t.AnyComposition)
        {
            var ctts = w.BeginFull("ctts", 0, 0);
            Runs(w, t.Count, i => t.Composition[i]);
            w.End(ctts);
        }

        var stsc = w.BeginFull("stsc", 0, 0);
        var runsAt = w.Length;
        w.U32(0);
        uint runs = 0;
        for (var c = 0; c < t.ChunkSamples.Count; c++)
        {
            if (c > 0 && t.ChunkSamples[c] == t.ChunkSamples[c - 1]) continue;
            w.U32((uint)(c + 1));
            w.U32((uint)t.ChunkSamples[c]);
            w.U32(1);
            runs++;
        }
        Patch(w, runsAt, runs);
        w.End(stsc);

        var stsz = w.BeginFull("stsz", 0, 0);
        w.U32(0);
        w.U32((uint)t.Count);
        foreach (var size in t.Sizes) w.U32((uint)size);
        w.End(stsz);

        var wide = t.ChunkOffsets.Count > 0 && t.ChunkOffsets[^1] > uint.MaxValue;
        var stco = w.BeginFull(wide ? "co64" : "stco", 0, 0);
        w.U32((uint)t.ChunkOffsets.Count);
        foreach (var offset in t.ChunkOffsets)
        {
            if (wide) w.U64((ulong)offset);
            else w.U32((uint)offset);
        }
        w.End(stco);
        w.End(stbl);
    }

    /// <summary>(count, value) pairs for consecutive equal values, as stts and ctts want them.</summary>
    private static void Runs(BoxWriter w, int count, Func<int, long> value)
    {
        var runsAt = w.Length;
        w.U32(0);
        uint runs = 0;
        var i = 0;
        while (i < count)
        {
            var v = value(i);
            var j = i + 1;
            while (j < count && value(j) == v) j++;
            w.U32((uint)(j - i));
            w.U32((uint)v);
            runs++;
            i = j;
        }
        Patch(w, runsAt, runs);
    }

    private static void Patch(BoxWriter w, int at, uint value)
    {
        var end = w.Length;
        w.Rewind(at);
        w.U32(value);
        w.Rewind(end);
    }

    private static void Description(BoxWriter w, Mp4Track t)
    {
        var stsd = w.BeginFull("stsd", 0, 0);
        w.U32(1);
        if (t.Avc is { } avc)
        {
            var entry = w.Begin("avc1");
            w.Zeros(6);
            w.U16(1);        // data reference index
            w.Zeros(16);     // pre-defined and reserved
            w.U16(avc.Width);
            w.U16(avc.Height);
            w.U32(0x00480000);   // 72 dpi
            w.U32(0x00480000);
            w.U32(0);
            w.U16(1);        // frames per sample
            w.Zeros(32);     // compressor name
            w.U16(0x0018);   // depth
            w.U16(0xFFFF);
            H264.WriteAvcC(w, avc);
            if (avc.SarNum != avc.SarDen)
            {
                var pasp = w.Begin("pasp");
                w.U32((uint)avc.SarNum);
                w.U32((uint)avc.SarDen);
                w.End(pasp);
            }
            w.End(entry);
        }
        else if (t.Aac is { } aac)
        {
            var entry = w.Begin("mp4a");
            w.Zeros(6);
            w.U16(1);
            w.Zeros(8);
            w.U16(aac.Channels);
            w.U16(16);   // sample size
            w.U32(0);
            w.U32((uint)aac.SampleRate << 16);
            Esds(w, t, aac);
            w.End(entry);
        }
        w.End(stsd);
    }

    /// <summary>The MPEG-4 elementary stream descriptor: AAC (object type 0x40), audio stream, its AudioSpecificConfig.</summary>
    private static void Esds(BoxWriter w, Mp4Track t, AdtsConfig aac)
    {
        var config = Adts.AudioSpecificConfig(aac);
        var seconds = Math.Max(t.MediaDuration / (double)t.Timescale, 0.001);
        var bitrate = (uint)Math.Min(uint.MaxValue, t.Bytes * 8 / seconds);
        var esds = w.BeginFull("esds", 0, 0);
        w.U8(0x03); w.U8((byte)(3 + 2 + 13 + 2 + config.Length + 2 + 1));
        w.U16(t.Id);
        w.U8(0);
        w.U8(0x04); w.U8((byte)(13 + 2 + config.Length));
        w.U8(0x40);   // MPEG-4 audio
        w.U8(0x15);   // audio stream
        w.U24(t.MaxSize);
        w.U32(bitrate);
        w.U32(bitrate);
        w.U8(0x05); w.U8((byte)config.Length);
        w.Bytes(config);
        w.U8(0x06); w.U8(1); w.U8(0x02);
        w.End(esds);
    }
}
