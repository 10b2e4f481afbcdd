namespace SecScan.Core.Documents;

/// <summary>
/// Every bound on the work one document may cause. Hitting a bound is a coverage note and at least
/// a review verdict, never a crash. Defaults suit a 2-core gateway scanning office documents.
/// </summary>
public sealed record ScanLimits
{
    /// <summary>Largest input accepted, in bytes (default 256 MiB).</summary>
    public long MaxInputBytes { get; init; } = 256L << 20;

    /// <summary>Most pages read from one fixed-layout document (default 5,000).</summary>
    public int MaxPages { get; init; } = 5_000;

    /// <summary>Most characters of text kept from one document, children included (default 50 million).</summary>
    public long MaxCharacters { get; init; } = 50_000_000;

    /// <summary>Most bytes read from one part of a container (e.g. one XML part of a DOCX, default 512 MiB).</summary>
    public long MaxPartBytes { get; init; } = 512L << 20;

    /// <summary>Deepest nesting of containers (archive in mail in archive …, default 8).</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>Most members read from one container (default 10,000).</summary>
    public int MaxMembers { get; init; } = 10_000;

    /// <summary>Most bytes expanded from one container in total (default 1 GiB).</summary>
    public long MaxExpandedBytes { get; init; } = 1L << 30;

    /// <summary>Largest expanded-to-compressed ratio tolerated for one member (default 200).</summary>
    public int MaxExpansionRatio { get; init; } = 200;

    /// <summary>Wall-clock budget for one document, extraction and detection together (default 60 s).</summary>
    public TimeSpan TimePerDocument { get; init; } = TimeSpan.FromSeconds(60);

    public static ScanLimits Default { get; } = new();
}
