using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.Archives;

/// <summary>
/// Expands the members of one container (archive members, mail attachments, a compressed payload) under
/// every bound, and extracts each through the dispatcher as a child document. One instance per container
/// read; not thread-safe.
/// </summary>
/// <remarks>
/// Before a member is expanded: one member and its declared size are taken from the file's shared budget,
/// and the declared size is checked against the per-member cap and the expansion ratio. Headers lie, so the
/// same bounds are enforced again on the bytes actually produced while copying: copying stops at the bound,
/// and nothing past it is ever held in memory. A member over a bound is a <see cref="CoverageKind.LimitExceeded"/>
/// note naming it; a spent budget stops the container (the note says how many members were left unread).
/// </remarks>
internal sealed class MemberReader
{
    /// <summary>
    /// Any member may expand to this many bytes whatever its ratio: small files of repeated text compress
    /// far beyond 200:1, and a bomb needs scale to hurt.
    /// </summary>
    internal const long RatioAllowance = 1 << 20;

    /// <summary>Expanded bytes are taken from the shared budget in blocks of this size beyond the declared size.</summary>
    private const int BudgetBlock = 1 << 20;

    /// <summary>After this many damaged members the container is given up as corrupt.</summary>
    private const int MaxDamagedMembers = 16;

    private readonly ExtractionContext _context;
    private readonly long _containerBytes;
    private readonly byte[] _buffer = new byte[81920];
    private int _unread;
    private int _damaged;
    private string? _stopReason;

    /// <param name="context">The container's context.</param>
    /// <param name="containerBytes">
    /// The container's size: the compressed size assumed for a member whose own is unknown (solid 7z blocks,
    /// streams), so its ratio is still bounded by that of the whole file.
    /// </param>
    public MemberReader(ExtractionContext context, long containerBytes)
    {
        _context = context;
        _containerBytes = Math.Max(1, containerBytes);
    }

    public List<ExtractedDocument> Children { get; } = [];

    public List<CoverageNote> Coverage { get; } = [];

    /// <summary>True once a bound stopped the container: every later member is only counted.</summary>
    public bool Stopped => _stopReason is not null;

    private ScanLimits Limits => _context.Limits;

    /// <summary>Reads one member, or notes why not. Throws only <see cref="OperationCanceledException"/>.</summary>
    /// <param name="name">The member's name (its path inside the container), used in the child's container path.</param>
    /// <param name="declaredSize">The uncompressed size its header declares; negative when unknown.</param>
    /// <param name="compressedSize">Its compressed size; zero or negative when unknown.</param>
    /// <param name="encrypted">The header says it is encrypted.</param>
    /// <param name="open">Opens its expanded bytes.</param>
    /// <param name="crc32">The CRC-32 the archive records for the member's bytes (ZIP, 7z), checked once it is expanded.</param>
    public void Read(string name, long declaredSize, long compressedSize, bool encrypted, Func<Stream> open, uint? crc32 = null)
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        if (Stopped)
        {
            _unread++;
            return;
        }
        var child = _context.ForChild(name);
        if (!_context.Budget.TryTakeMember())
        {
            Stop($"more than {Limits.MaxMembers:N0} members in this file", child);
            return;
        }
        if (encrypted)
        {
            Coverage.Add(new CoverageNote(CoverageKind.Encrypted, $"member {name} is encrypted: not read", child.At()));
            return;
        }

        long cap = Cap(compressedSize);
        if (declaredSize > Limits.MaxInputBytes)
        {
            Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"member {name} declares {declaredSize:N0} bytes, over the {Limits.MaxInputBytes:N0}-byte member limit: not read", child.At()));
            return;
        }
        if (declaredSize > cap)
        {
            Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"member {name} declares {declaredSize:N0} bytes from {Math.Max(compressedSize, 0):N0} compressed, over the {Limits.MaxExpansionRatio}:1 expansion bound: not read", child.At()));
            return;
        }
        long taken = Math.Max(declaredSize, 0);
        if (!_context.Budget.TryTakeBytes(taken))
        {
            Stop($"the {Limits.MaxExpandedBytes:N0}-byte expansion budget of this file is spent", child);
            return;
        }

        using var expanded = new MemoryStream();
        Exception? failure = null;
        try
        {
            using var source = open();
            while (true)
            {
                _context.CancellationToken.ThrowIfCancellationRequested();
                int n = source.Read(_buffer, 0, (int)Math.Min(_buffer.Length, cap - expanded.Length + 1));
                if (n == 0) break;
                if (expanded.Length + n > cap)
                {
                    Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                        $"member {name} expands past {cap:N0} bytes (its header declares {Math.Max(declaredSize, 0):N0}), over the " +
                        (cap == Limits.MaxInputBytes ? "member limit" : $"{Limits.MaxExpansionRatio}:1 expansion bound") + ": not read", child.At()));
                    return;
                }
                expanded.Write(_buffer, 0, n);
                if (expanded.Length > taken)
                {
                    long more = Math.Max(BudgetBlock, expanded.Length - taken);
                    if (!_context.Budget.TryTakeBytes(more))
                    {
                        Stop($"the {Limits.MaxExpandedBytes:N0}-byte expansion budget of this file is spent", child);
                        return;
                    }
                    taken += more;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        if (failure is not null)
        {
            if (IsEncryption(failure))
            {
                Coverage.Add(new CoverageNote(CoverageKind.Encrypted, $"member {name} is encrypted: not read", child.At()));
                return;
            }
            Coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                $"member {name} could not be expanded{(expanded.Length > 0 ? " to its end" : "")}: {SafeText.Of(failure)}", child.At()));
            if (++_damaged >= MaxDamagedMembers)
                Stop($"{MaxDamagedMembers} damaged members", child);
            if (expanded.Length == 0) return;   // what did come out is still read
        }

        // A member whose bytes differ from what the archive recorded is damaged; what came out is still read.
        if (failure is null && crc32 is { } crc && System.IO.Hashing.Crc32.HashToUInt32(expanded.GetBuffer().AsSpan(0, (int)expanded.Length)) != crc)
            Coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"member {name} does not match its CRC-32: the archive is damaged (its text was read as it came out)", child.At()));
        expanded.Position = 0;
        Children.Add(Extract(expanded, name, child));
    }

    /// <summary>Extracts a child whose bytes are already in memory (an attachment): bounds, then the dispatcher.</summary>
    public void Read(string name, byte[] bytes) =>
        Read(name, bytes.LongLength, bytes.LongLength, encrypted: false, () => new MemoryStream(bytes, writable: false));

    /// <summary>Adds the note for members left unread after a stop. Call once, after the last member.</summary>
    public void Finish()
    {
        if (_unread > 0)
            Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"{_unread:N0} further member{(_unread == 1 ? "" : "s")} not read after the stop", _context.At()));
    }

    /// <summary>The most bytes one member may expand to: the member limit, and the ratio bound over its compressed size.</summary>
    private long Cap(long compressedSize)
    {
        long compressed = compressedSize > 0 ? compressedSize : _containerBytes;
        long byRatio = compressed > long.MaxValue / Math.Max(1, Limits.MaxExpansionRatio)
            ? long.MaxValue : compressed * Limits.MaxExpansionRatio;
        return Math.Min(Limits.MaxInputBytes, Math.Max(RatioAllowance, byRatio));
    }

    private void Stop(string reason, ExtractionContext member)
    {
        _stopReason = reason;
        Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, $"{reason}: this and later members not read", member.At()));
    }

    private static ExtractedDocument Extract(Stream stream, string name, ExtractionContext child)
    {
        if (child.ExtractChild is null)
            return ExtractedDocument.Unreadable(MediaTypes.Unknown, new CoverageNote(CoverageKind.Unsupported,
                "nested document not read: no dispatcher", child.At()));
        return child.ExtractChild(stream, name, child);
    }

    /// <summary>SharpCompress reports a missing password as its own CryptographicException (not the BCL's).</summary>
    internal static bool IsEncryption(Exception ex) =>
        ex is SharpCompress.Common.CryptographicException or System.Security.Cryptography.CryptographicException
        || (ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase) && ex is SharpCompress.Common.SharpCompressException);
}
