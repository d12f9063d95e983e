namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>What the avc1 sample entry needs from the first SPS and PPS.</summary>
internal sealed record H264Config(byte[] Sps, byte[] Pps, int Width, int Height, int SarNum, int SarDen)
{
    public uint Profile => Sps[1];
    public uint ChromaFormat { get; init; } = 1;
    public uint LumaBitDepthMinus8 { get; init; }
    public uint ChromaBitDepthMinus8 { get; init; }
}

/// <summary>H.264 in Annex B form (start codes, as MPEG-TS carries it): NAL units, keyframes and the SPS fields MP4 needs.</summary>
internal static class H264
{
    public const int NalIdr = 5;
    public const int NalSei = 6;
    public const int NalSps = 7;
    public const int NalPps = 8;

    private static ReadOnlySpan<byte> StartCode => [0, 0, 1];

    /// <summary>The NAL units of an access unit, without start codes or trailing zero bytes.</summary>
    public static NalEnumerator Nals(ReadOnlySpan<byte> annexB)
    {
        var first = annexB.IndexOf(StartCode);
        if (first < 0) throw new UnsupportedStreamException("an H.264 access unit has no start code");
        return new NalEnumerator(annexB[(first + 3)..]);
    }

    public ref struct NalEnumerator(ReadOnlySpan<byte> rest)
    {
        private ReadOnlySpan<byte> _rest = rest;
        private bool _done;

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly NalEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (!_done)
            {
                var next = _rest.IndexOf(StartCode);
                var nal = next < 0 ? _rest : _rest[..next];
                if (next < 0) _done = true;
                else _rest = _rest[(next + 3)..];
                var end = nal.Length;
                while (end > 0 && nal[end - 1] == 0) end--;
                if (end == 0) continue;
                Current = nal[..end];
                return true;
            }
            return false;
        }
    }

    public static H264Config Configure(byte[] sps, byte[] pps)
    {
        var r = new BitReader(Unescape(sps.AsSpan(1)));
        var profile = r.Bits(8);
        r.Bits(16);   // constraint flags, level
        r.Ue();       // seq_parameter_set_id
        uint chroma = 1, lumaDepth = 0, chromaDepth = 0;
        var separatePlanes = false;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chroma = r.Ue();
            if (chroma == 3) separatePlanes = r.Flag();
            lumaDepth = r.Ue();
            chromaDepth = r.Ue();
            r.Flag();         // qpprime_y_zero_transform_bypass
            if (r.Flag())
            {
                for (var i = 0; i < (chroma == 3 ? 12 : 8); i++)
                {
                    if (r.Flag()) SkipScalingList(ref r, i < 6 ? 16 : 64);
                }
            }
        }
        r.Ue();   // log2_max_frame_num_minus4
        var pocType = r.Ue();
        if (pocType == 0) r.Ue();
        else if (pocType == 1)
        {
            r.Flag(); r.Se(); r.Se();
            var cycle = r.Ue();
            for (var i = 0; i < cycle; i++) r.Se();
        }
        r.Ue();     // max_num_ref_frames
        r.Flag();   // gaps_in_frame_num_value_allowed
        var widthMbs = r.Ue() + 1;
        var heightUnits = r.Ue() + 1;
        var frameMbsOnly = r.Flag();
        if (!frameMbsOnly) r.Flag();
        r.Flag();   // direct_8x8_inference
        uint left = 0, right = 0, top = 0, bottom = 0;
        if (r.Flag()) { left = r.Ue(); right = r.Ue(); top = r.Ue(); bottom = r.Ue(); }
        int sarNum = 1, sarDen = 1;
        if (r.Flag() && r.Flag())   // VUI present, aspect ratio info present
        {
            var idc = (int)r.Bits(8);
            if (idc == 255) { sarNum = (int)r.Bits(16); sarDen = (int)r.Bits(16); }
            else if (idc is > 0 and < 17) (sarNum, sarDen) = SampleAspect[idc - 1];
            if (sarNum == 0 || sarDen == 0) (sarNum, sarDen) = (1, 1);
        }

        var arrayType = separatePlanes ? 0 : chroma;
        var fieldFactor = frameMbsOnly ? 1u : 2u;
        var cropX = arrayType == 0 ? 1u : chroma == 3 ? 1u : 2u;
        var cropY = (arrayType == 0 ? 1u : chroma == 1 ? 2u : 1u) * fieldFactor;
        var width = (long)widthMbs * 16 - cropX * (left + right);
        var height = (long)fieldFactor * heightUnits * 16 - cropY * (top + bottom);
        if (width is <= 0 or > 16384 || height is <= 0 or > 16384)
            throw new UnsupportedStreamException($"the H.264 SPS gives an implausible picture size {width}x{height}");
        return new H264Config(sps, pps, (int)width, (int)height, sarNum, sarDen)
        {
            ChromaFormat = chroma, LumaBitDepthMinus8 = lumaDepth, ChromaBitDepthMinus8 = chromaDepth,
        };
    }

    /// <summary>
    /// Whether an SEI NAL unit carries a recovery point (payload type 6): an open-GOP stream's random
    /// access points are I-frames with one, not IDR frames; ffmpeg marks both as keyframes.
    /// </summary>
    public static bool HasRecoveryPoint(ReadOnlySpan<byte> sei)
    {
        var rbsp = Unescape(sei[1..]);
        var i = 0;
        while (i < rbsp.Length && rbsp[i] != 0x80)   // 0x80: the RBSP trailing bits
        {
            int type = 0, size = 0;
            while (i < rbsp.Length && rbsp[i] == 0xFF) { type += 255; i++; }
            if (i >= rbsp.Length) return false;
            type += rbsp[i++];
            while (i < rbsp.Length && rbsp[i] == 0xFF) { size += 255; i++; }
            if (i >= rbsp.Length) return false;
            size += rbsp[i++];
            if (type == 6) return true;
            i += size;
        }
        return false;
    }

    /// <summary>The avcC box's payload: one SPS, one PPS, 4-byte NAL lengths.</summary>
    public static void WriteAvcC(BoxWriter w, H264Config c)
    {
        var box = w.Begin("avcC");
        w.U8(1);
        w.U8(c.Sps[1]); w.U8(c.Sps[2]); w.U8(c.Sps[3]);
        w.U8(0xFF);   // 4-byte lengths
        w.U8(0xE1);   // one SPS
        w.U16(c.Sps.Length); w.Bytes(c.Sps);
        w.U8(1);
        w.U16(c.Pps.Length); w.Bytes(c.Pps);
        if (c.Profile is 100 or 110 or 122 or 144)
        {
            // The High-profile extension (ISO/IEC 14496-15 5.3.3.1.2), as ffmpeg writes it.
            w.U8((byte)(0xFC | c.ChromaFormat));
            w.U8((byte)(0xF8 | c.LumaBitDepthMinus8));
            w.U8((byte)(0xF8 | c.ChromaBitDepthMinus8));
            w.U8(0);   // no SPS extensions
        }
        w.End(box);
    }

    private static void SkipScalingList(ref BitReader r, int size)
    {
        int last = 8, next = 8;
        for (var j = 0; j < size; j++)
        {
            if (next != 0) next = (last + r.Se() + 256) % 256;
            if (next != 0) last = next;
        }
    }

    /// <summary>The RBSP: every 00 00 03 loses its 03 (emulation prevention).</summary>
    private static byte[] Unescape(ReadOnlySpan<byte> nal)
    {
        var output = new byte[nal.Length];
        int n = 0, zeros = 0;
        foreach (var b in nal)
        {
            if (zeros >= 2 && b == 3) { zeros = 0; continue; }
            zeros = b == 0 ? zeros + 1 : 0;
            output[n++] = b;
        }
        return output[..n];
    }

    private static readonly (int, int)[] SampleAspect =
    [
        (1, 1), (12, 11), (10, 11), (16, 11), (40, 33), (24, 11), (20, 11), (32, 11),
        (80, 33), (18, 11), (15, 11), (64, 33), (160, 99), (4, 3), (3, 2), (2, 1),
    ];
}
