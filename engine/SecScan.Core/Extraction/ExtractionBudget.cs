using SecScan.Core.Documents;

namespace SecScan.Core.Extraction;

/// <summary>
/// What one scanned file may still cost, shared by the file and every child inside it (attachments,
/// archive members, embedded objects, however deep): expanded bytes and members. A container asks
/// before it expands a member; when the budget is spent it stops and notes <see cref="CoverageKind.LimitExceeded"/>.
/// Thread-safe.
/// </summary>
public sealed class ExtractionBudget
{
    private long _bytesLeft;
    private int _membersLeft;

    public ExtractionBudget(ScanLimits limits)
    {
        _bytesLeft = limits.MaxExpandedBytes;
        _membersLeft = limits.MaxMembers;
    }

    public long BytesLeft => Interlocked.Read(ref _bytesLeft);

    public int MembersLeft => Volatile.Read(ref _membersLeft);

    /// <summary>Takes <paramref name="bytes"/> from the budget; false (and nothing taken) if fewer are left.</summary>
    public bool TryTakeBytes(long bytes)
    {
        while (true)
        {
            long left = Interlocked.Read(ref _bytesLeft);
            if (bytes > left) return false;
            if (Interlocked.CompareExchange(ref _bytesLeft, left - bytes, left) == left) return true;
        }
    }

    /// <summary>Takes one member from the budget; false if none is left.</summary>
    public bool TryTakeMember()
    {
        while (true)
        {
            int left = Volatile.Read(ref _membersLeft);
            if (left <= 0) return false;
            if (Interlocked.CompareExchange(ref _membersLeft, left - 1, left) == left) return true;
        }
    }
}
