namespace NasSav.Downloader.Engine.Merging.Native;

/// <summary>
/// The native remuxer met something it does not handle (a codec, a scrambled packet, timestamps
/// that go backwards, an index larger than reserved). Not a download failure: ffmpeg remuxes instead.
/// </summary>
public sealed class UnsupportedStreamException(string message) : Exception(message);
