namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>What the mp4a sample entry needs: the AAC object type, rate and channel layout from the ADTS header.</summary>
internal sealed record AdtsConfig(int ObjectType, int FrequencyIndex, int ChannelConfig)
{
    public int SampleRate => Adts.Rates[FrequencyIndex];
    public int Channels => ChannelConfig == 7 ? 8 : ChannelConfig;
}

/// <summary>AAC in ADTS framing (MPEG-TS stream type 0x0F): each frame is a 7- or 9-byte header and one raw block.</summary>
internal static class Adts
{
    public static readonly int[] Rates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>Parses the header at the start of <paramref name="data"/>; null when fewer than a header's bytes remain.</summary>
    public static (AdtsConfig Config, int HeaderLength, int FrameLength)? Header(ReadOnlySpan<byte> data)
    {
        if (data.Length < 7) return null;
        if (data[0] != 0xFF || (data[1] & 0xF0) != 0xF0) throw new UnsupportedStreamException("AAC audio lost its ADTS sync word");
        var headerLength = (data[1] & 1) == 1 ? 7 : 9;
        var objectType = (data[2] >> 6) + 1;
        var frequency = (data[2] >> 2) & 0x0F;
        var channels = ((data[2] & 1) << 2) | (data[3] >> 6);
        var frameLength = ((data[3] & 3) << 11) | (data[4] << 3) | (data[5] >> 5);
        if ((data[6] & 3) != 0) throw new UnsupportedStreamException("ADTS frames with several raw data blocks are not supported");
        if (frequency >= Rates.Length) throw new UnsupportedStreamException($"ADTS sampling frequency index {frequency} is reserved");
        if (channels == 0) throw new UnsupportedStreamException("ADTS with a program config element (channel configuration 0) is not supported");
        if (frameLength < headerLength) throw new UnsupportedStreamException($"an ADTS frame is shorter ({frameLength} bytes) than its header");
        return (new AdtsConfig(objectType, frequency, channels), headerLength, frameLength);
    }

    /// <summary>The AudioSpecificConfig of the esds box: object type, frequency index, channel configuration.</summary>
    public static byte[] AudioSpecificConfig(AdtsConfig c) =>
        [(byte)((c.ObjectType << 3) | (c.FrequencyIndex >> 1)), (byte)(((c.FrequencyIndex & 1) << 7) | (c.ChannelConfig << 3))];
}
