using System.Buffers;

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

    /// <summary>
    /// The stream's bytes, at most <paramref name="max"/>, in a buffer rented from <see cref="ArrayPool{T}.Shared"/>
    /// (or a memory stream's own buffer): for a parser that reads a large input once per call and keeps nothing of it,
    /// so that each call neither allocates a large-object-heap array nor makes the GC collect one.
    /// </summary>
    /// <remarks>
    /// The caller disposes the result once nothing refers to <see cref="Rented.Memory"/> any more; its bytes are then
    /// another caller's. A stream whose length is unknown is read with <see cref="ReadAll"/> (one copy, not rented).
    /// </remarks>
    /// <exception cref="InvalidDataException">The input is larger than <paramref name="max"/>.</exception>
    public static Rented Rent(Stream stream, long max)
    {
        if (!stream.CanSeek) return new Rented(ReadAll(stream, max), null);
        if (stream.Length > max) throw new InvalidDataException($"input larger than {max} bytes");
        if (stream is MemoryStream ms && ms.TryGetBuffer(out var buffer))
            return new Rented(buffer.AsMemory(), null);
        int length = checked((int)stream.Length);
        var array = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            stream.Position = 0;
            stream.ReadExactly(array, 0, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
        return new Rented(array.AsMemory(0, length), array);
    }

    /// <summary>Bytes that may belong to <see cref="ArrayPool{T}.Shared"/>: returned there on dispose.</summary>
    internal readonly struct Rented(ReadOnlyMemory<byte> memory, byte[]? pooled) : IDisposable
    {
        public ReadOnlyMemory<byte> Memory { get; } = memory;

        public void Dispose()
        {
            if (pooled is not null) ArrayPool<byte>.Shared.Return(pooled);
        }
    }
}
