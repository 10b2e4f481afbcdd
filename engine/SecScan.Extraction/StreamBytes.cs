namespace SecScan.Extraction;

/// <summary>Whole-input reads for parsers that want an array (text decoding, PdfPig, RTF, HTML).</summary>
internal static class StreamBytes
{
    /// <summary>
    /// The stream's bytes, at most <paramref name="max"/>: a memory stream's own buffer when it is exactly the
    /// content (no copy; callers only read it), else one copy.
    /// </summary>
    /// <exception cref="InvalidDataException">The input is larger than <paramref name="max"/>.</exception>
    public static byte[] ReadAll(Stream stream, long max)
    {
        if (stream.CanSeek)
        {
            if (stream.Length > max) throw new InvalidDataException($"input larger than {max} bytes");
            if (stream is MemoryStream ms && ms.TryGetBuffer(out var buffer) && buffer.Offset == 0 && buffer.Array!.Length == ms.Length)
                return buffer.Array;
            var bytes = new byte[stream.Length];
            stream.Position = 0;
            stream.ReadExactly(bytes);
            return bytes;
        }
        using var copy = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            if (copy.Length + n > max) throw new InvalidDataException($"input larger than {max} bytes");
            copy.Write(chunk, 0, n);
        }
        return copy.ToArray();
    }
}
