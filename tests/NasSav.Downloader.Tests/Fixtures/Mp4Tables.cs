using System.Buffers.Binary;
using System.Text;

namespace NasSav.Downloader.Tests.Fixtures;

/// <summary>
/// Reads an MP4's boxes: the top level, and each track's sample tables: ffprobe cannot show them (for
/// H.264 its packet key flags come from parsing the bitstream, not from stss).
/// </summary>
public static class Mp4Tables
{
    /// <summary>For each trak in order: box type (stts, stss, ctts, stsz...) to the box's payload after its version and flags, hex.</summary>
    public static List<Dictionary<string, string>> Read(string path)
    {
        var data = File.ReadAllBytes(path);
        var tracks = new List<Dictionary<string, string>>();
        var moov = Children(data, 0, data.Length).First(b => b.Type == "moov");
        foreach (var trak in Children(data, moov.Body, moov.End).Where(b => b.Type == "trak"))
        {
            var tables = new Dictionary<string, string>();
            var stbl = Path(data, trak, "mdia", "minf", "stbl");
            foreach (var box in Children(data, stbl.Body, stbl.End))
                tables[box.Type] = Convert.ToHexString(data, box.Body + 4, box.End - box.Body - 4);
            tracks.Add(tables);
        }
        return tracks;
    }

    /// <summary>The MP4's top-level box types in file order.</summary>
    public static List<string> TopLevel(string path)
    {
        var data = File.ReadAllBytes(path);
        return [.. Children(data, 0, data.Length).Select(b => b.Type)];
    }

    private readonly record struct Box(string Type, int Body, int End);

    private static Box Path(byte[] data, Box from, params string[] types)
    {
        foreach (var type in types) from = Children(data, from.Body, from.End).First(b => b.Type == type);
        return from;
    }

    private static IEnumerable<Box> Children(byte[] data, int start, int end)
    {
        var at = start;
        while (at + 8 <= end)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            var type = Encoding.ASCII.GetString(data, at + 4, 4);
            var header = 8;
            if (size == 1) { size = BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(at + 8)); header = 16; }
            if (size == 0) size = end - at;
            yield return new Box(type, at + header, (int)Math.Min(end, at + size));
            at += (int)size;
        }
    }
}
