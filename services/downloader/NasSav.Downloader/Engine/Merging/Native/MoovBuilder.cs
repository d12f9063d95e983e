namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>
/// The moov box for finished tracks. Movie timescale 1000 (as ffmpeg's). Each track gets an edit list:
/// an empty edit when it starts after the earliest track (so audio and video keep their transport-
/// stream sync), then its media from the first presented sample (skipping B-frame composition delay).
/// </summary>
internal static class MoovBuilder
{
    public const uint MovieTimescale = 1000;

    public static byte[] Build(IReadOnlyList<Mp4Track> tracks)
    {
        var start = tracks.Min(t => t.PresentationStart90k);
        var w = new BoxWriter(64 * 1024);
        var moov = w.Begin("moov");
        var durations = tracks.Select(t => TrackDuration(t, start)).ToList();
        var movieDuration = durations.Max(d => d.Empty + d.Media);

        var mvhd = w.BeginFull("mvhd", Version(movieDuration), 0);
        Times(w, movieDuration);
        w.U32(0x00010000);   // rate 1.0
        w.U16(0x0100);       // volume 1.0
        w.Zeros(10);
        w.Matrix();
        w.Zeros(24);
        w.U32((uint)(tracks.Count + 1));
        w.End(mvhd);
        for (var i = 0; i < tracks.Count; i++) Trak(w, tracks[i], durations[i]);
        w.End(moov);
        return w.Written.ToArray();
    }

    private static (long Empty, long Media) TrackDuration(Mp4Track t, long start) =>
        (Rescale(t.PresentationStart90k - start, 90000, MovieTimescale), Rescale(t.MediaDuration, t.Timescale, MovieTimescale));

    private static long Rescale(long value, long from, long to) => (long)Math.Round((double)value * to / from, MidpointRounding.AwayFromZero);

    private static byte Version(long value) => value > uint.MaxValue ? (byte)1 : (byte)0;

    /// <summary>creation and modification time (0: unknown), then timescale (mvhd, mdhd) and duration, in the box's version width.</summary>
    private static void Times(BoxWriter w, long duration, uint timescale = MovieTimescale)
    {
        if (Version(duration) == 1) { w.U64(0); w.U64(0); w.U32(timescale); w.U64((ulong)duration); }
        else { w.U32(0); w.U32(0); w.U32(timescale); w.U32((uint)duration); }
    }

    private static void Trak(BoxWriter w, Mp4Track t, (long Empty, long Media) d)
    {
        var trak = w.Begin("trak");
        var total = d.Empty + d.Media;
        var tkhd = w.BeginFull("tkhd", Version(total), 3);   // enabled, in movie
        if (Version(total) == 1) { w.U64(0); w.U64(0); w.U32((uint)t.Id); w.U32(0); w.U64((ulong)total); }
        else { w.U32(0); w.U32(0); w.U32((uint)t.Id); w.U32(0); w.U32((uint)total); }
        w.Zeros(8);
        w.U16(0);                        // layer
        w.U16(t.Video ? 0 : 1);          // alternate group
        w.U16(t.Video ? 0 : 0x0100);     // volume
        w.U16(0);
        w.Matrix();
        if (t.Avc is { } avc)
        {
            var displayWidth = (long)avc.Width * avc.SarNum / avc.SarDen;
            w.U32((uint)(displayWidth << 16));
            w.U32((uint)(avc.Height << 16));
        }
        else
        {
            w.U32(0); w.U32(0);
        }
        w.End(tkhd);

        var edts = w.Begin("edts");
        var entries = d.Empty > 0 ? 2 : 1;
        var wide = Version(Math.Max(total, t.MediaStart)) == 1;
        var elst = w.BeginFull("elst", wide ? (byte)1 : (byte)0, 0);
        w.U32((uint)entries);
        if (d.Empty > 0) Edit(w, wide, d.Empty, -1);
        Edit(w, wide, d.Media, t.MediaStart);
        w.End(elst);
        w.End(edts);

        var mdia = w.Begin("mdia");
        var mdhd = w.BeginFull("mdhd", Version(t.MediaDuration), 0);
        Times(w, t.MediaDuration, t.Timescale);
        w.U16(0x55C4);   // language "und"
        w.U16(0);
        w.End(mdhd);
        var hdlr = w.BeginFull("hdlr", 0, 0);
        w.U32(0);
        w.Ascii(t.Video ? "vide" : "soun");
        w.Zeros(12);
        w.Ascii(t.Video ? "VideoHandler" : "SoundHandler");
        w.U8(0);
        w.End(hdlr);
        var minf = w.Begin("minf");
        if (t.Video)
        {
            var vmhd = w.BeginFull("vmhd", 0, 1);
            w.Zeros(8);
            w.End(vmhd);
        }
        else
        {
            var smhd = w.BeginFull("smhd", 0, 0);
            w.Zeros(4);
            w.End(smhd);
        }
        var dinf = w.Begin("dinf");
        var dref = w.BeginFull("dref", 0, 0);
        w.U32(1);
        w.End(w.BeginFull("url ", 0, 1));   // media in this file
        w.End(dref);
        w.End(dinf);
        SampleTables.Write(w, t);
        w.End(minf);
        w.End(mdia);
        w.End(trak);
    }

    private static void Edit(BoxWriter w, bool wide, long duration, long mediaTime)
    {
        if (wide) { w.U64((ulong)duration); w.U64((ulong)mediaTime); }
        else { w.U32((uint)duration); w.I32((int)mediaTime); }
        w.U16(1);   // rate 1.0
        w.U16(0);
    }
}
