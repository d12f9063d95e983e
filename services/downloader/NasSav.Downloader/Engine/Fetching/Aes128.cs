using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NasSav.Downloader.Engine.Fetching;

/// <summary>HLS AES-128: AES-CBC with PKCS7 padding over a whole segment.</summary>
public static class Aes128
{
    /// <summary>RFC 8216 5.2: without an IV attribute, the segment's media sequence number as a 16-byte big-endian integer.</summary>
    public static byte[] SequenceIv(long sequenceNumber)
    {
        var iv = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(iv.AsSpan(8), sequenceNumber);
        return iv;
    }

    /// <summary>A stream that decrypts what is written to it into <paramref name="target"/> (left open); dispose it to flush the last block.</summary>
    public static CryptoStream DecryptingWriter(Stream target, byte[] key, byte[] iv)
    {
        using var aes = Aes.Create();
        aes.Mode = CipherMode.CBC;
        aes.Padding = PaddingMode.PKCS7;
        return new CryptoStream(target, aes.CreateDecryptor(key, iv), CryptoStreamMode.Write, leaveOpen: true);
    }
}
