namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>
/// One track's sample tables as samples are written: sizes, decode times (media timescale, from 0),
/// composition offsets, sync samples and chunks (runs of samples that lie together in mdat).
/// </summary>
internal sealed class Mp4Track(bool video, uint timescale)
{
    public bool Video { get; } = video;
    public uint Timescale { get; } = timescale;
    /// <summary>Set by the writer in the order tracks get their first sample.</summary>
    public int Id { get; set; }

    public H264Config? Avc { get; set; }
    public AdtsConfig? Aac { get; set; }

    /// <summary>When the track's first presented sample is shown, on the 90 kHz transport clock (unwrapped).</summary>
    public long PresentationStart90k { get; set; }
    /// <summary>Media time of the first presented sample (the composition delay of B-frames).</summary>
    public long MediaStart { get; set; }

    public List<int> Sizes { get; } = [];
    public List<long> Decode { get; } = [];
    public List<int> Composition { get; } = [];
    public List<int> Sync { get; } = [];
    public List<long> ChunkOffsets { get; } = [];
    public List<int> ChunkSamples { get; } = [];
    public long Bytes { get; private set; }
    public int MaxSize { get; private set; }

    public int Count => Sizes.Count;
    public bool AnyComposition { get; private set; }

    public void Add(int size, long decode, int composition, bool sync)
    {
        if (Count > 0 && decode <= Decode[^1])
            throw new UnsupportedStreamException($"{(Video ? "video" : "audio")} decode times do not increase at sample {Count} ({Decode[^1]} then {decode})");
        if (composition < 0) throw new UnsupportedStreamException($"video sample {Count} is presented before it is decoded");
        if (sync) Sync.Add(Count);
        Sizes.Add(size);
        Decode.Add(decode);
        Composition.Add(composition);
        if (composition != 0) AnyComposition = true;
        ChunkSamples[^1]++;
        Bytes += size;
        MaxSize = Math.Max(MaxSize, size);
    }

    public void StartChunk(long offset)
    {
        ChunkOffsets.Add(offset);
        ChunkSamples.Add(0);
    }

    /// <summary>The last sample lasts as long as the one before it (video) or one AAC frame (audio).</summary>
    public long Duration(int i) => i + 1 < Count ? Decode[i + 1] - Decode[i] : Video ? (Count > 1 ? Decode[i] - Decode[i - 1] : Timescale / 25) : 1024;

    public long MediaDuration => Count == 0 ? 0 : Decode[^1] + Duration(Count - 1);
}
