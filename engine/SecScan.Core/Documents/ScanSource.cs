namespace SecScan.Core.Documents;

/// <summary>
/// What to scan: an identifier (a path, or a request id plus file name), a way to open the bytes,
/// their length, and the channel whose policy applies. Opening is deferred so a bulk scan holds no
/// more than one document's bytes at a time.
/// </summary>
public sealed class ScanSource
{
    private readonly Func<Stream> _open;

    public ScanSource(string id, string name, long length, Func<Stream> open, string channel = Channels.Publish)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(open);
        Id = id;
        Name = name;
        Length = length;
        Channel = channel;
        _open = open;
    }

    /// <summary>Stable identifier reported in the verdict (a path or request id).</summary>
    public string Id { get; }

    /// <summary>The file name as the user knows it (used in locations and for name-based markings, never for format choice).</summary>
    public string Name { get; }

    public long Length { get; }

    public string Channel { get; }

    /// <summary>Opens a fresh read-only stream over the bytes. Each call returns a new stream.</summary>
    public Stream Open() => _open();

    public static ScanSource FromFile(string path, string channel = Channels.Publish)
    {
        var info = new FileInfo(path);
        return new ScanSource(path, info.Name, info.Length,
            () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan),
            channel);
    }

    public static ScanSource FromBytes(string id, string name, ReadOnlyMemory<byte> bytes, string channel = Channels.Publish)
        => new(id, name, bytes.Length, () => new ReadOnlyMemoryStream(bytes), channel);

    /// <summary>A read-only stream over memory that never copies it.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> bytes) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _position; set => _position = (int)Math.Clamp(value, 0, bytes.Length); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, bytes.Length - _position);
            bytes.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin)
        {
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => bytes.Length + offset,
            };
            return _position;
        }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>The channels whose policies ship in the default ruleset.</summary>
public static class Channels
{
    public const string Publish = "publish";
    public const string Mail = "mail";
    public const string Audit = "audit";
}
