using SecScan.Core.Documents;

namespace SecScan.Core.Extraction;

/// <summary>
/// Reads one family of formats into an <see cref="ExtractedDocument"/>. Implementations are
/// stateless and thread-safe; one instance serves every scan.
/// </summary>
/// <remarks>
/// An extractor never throws for bad input it can recognise (encrypted, truncated, garbled): it
/// returns what it read plus a <see cref="CoverageNote"/>. Anything it does throw is caught by the
/// dispatcher and becomes a <see cref="CoverageKind.Corrupt"/> or <see cref="CoverageKind.Error"/> note.
/// </remarks>
public interface IExtractor
{
    /// <summary>The sniffed media types this extractor reads.</summary>
    IReadOnlyCollection<string> MediaTypes { get; }

    /// <summary>Extracts text, children and coverage from a seekable stream positioned at 0.</summary>
    ExtractedDocument Extract(Stream stream, ExtractionContext context);
}

/// <summary>Everything an extractor may need besides the bytes: where it is, the bounds, cancellation.</summary>
public sealed class ExtractionContext
{
    public ExtractionContext(string container, string name, ScanLimits limits, int depth, CancellationToken cancellationToken, ExtractionBudget? budget = null)
    {
        Container = container;
        Name = name;
        Limits = limits;
        Depth = depth;
        CancellationToken = cancellationToken;
        Budget = budget ?? new ExtractionBudget(limits);
    }

    /// <summary>Expanded bytes and members the whole scanned file may still use; shared with every child.</summary>
    public ExtractionBudget Budget { get; }

    /// <summary>The container path of this document (used as <see cref="Location.Container"/>).</summary>
    public string Container { get; }

    /// <summary>The file name as the user knows it.</summary>
    public string Name { get; }

    public ScanLimits Limits { get; }

    /// <summary>Nesting depth: 0 for the scanned file itself.</summary>
    public int Depth { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Set by the dispatcher: extracts a child (attachment, member, embedded object) recursively.</summary>
    public Func<Stream, string, ExtractionContext, ExtractedDocument>? ExtractChild { get; init; }

    /// <summary>A location in this document with the given part; the rest is set with <c>with</c>.</summary>
    public Location At(SegmentPart part = SegmentPart.Body) => new() { Container = Container, Part = part };

    /// <summary>The context for a child named <paramref name="childName"/> one level deeper.</summary>
    public ExtractionContext ForChild(string childName) =>
        new($"{Container} › {childName}", childName, Limits, Depth + 1, CancellationToken, Budget) { ExtractChild = ExtractChild };
}

/// <summary>Reads any supported file: sniffs its type from magic bytes and routes it to an extractor.</summary>
public interface IDocumentExtractor
{
    /// <summary>Never throws for bad input: failures become coverage notes on the returned document.</summary>
    ExtractedDocument Extract(ScanSource source, ScanLimits limits, CancellationToken cancellationToken);
}
