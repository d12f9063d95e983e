namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>Reads an H.264 RBSP (emulation-prevention bytes already removed) bit by bit, with Exp-Golomb codes.</summary>
internal ref struct BitReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _bit;

    public uint Bits(int count)
    {
        uint value = 0;
        for (var i = 0; i < count; i++)
        {
            var index = _bit >> 3;
            if (index >= _data.Length) throw new UnsupportedStreamException("H.264 parameter set ends early");
            value = (value << 1) | (uint)((_data[index] >> (7 - (_bit & 7))) & 1);
            _bit++;
        }
        return value;
    }

    public bool Flag() => Bits(1) == 1;

    public uint Ue()
    {
        var zeros = 0;
        while (Bits(1) == 0)
        {
            if (++zeros > 31) throw new UnsupportedStreamException("H.264 parameter set has an invalid Exp-Golomb code");
        }
        return zeros == 0 ? 0 : (uint)((1L << zeros) - 1 + Bits(zeros));
    }

    public int Se()
    {
        var k = Ue();
        return (k & 1) == 1 ? (int)((k + 1) / 2) : -(int)(k / 2);
    }
}
