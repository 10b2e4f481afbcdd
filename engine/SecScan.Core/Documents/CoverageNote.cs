
namespace SecScan.Core.Documents;

/// <summary>Why part of a document could not be read. Each kind maps to a minimum decision in the policy.</summary>
public enum CoverageKind
{
    /// <summary>The file or a member is password-protected or encrypted.</summary>
    Encrypted,
    /// <summary>The bytes do not form a valid file of the sniffed type, or parsing failed.</summary>
    Corrupt,
    /// <summary>A page or document holds images but no text layer.</summary>
    ImageOnly,
    /// <summary>Images inside a document that carries text elsewhere were not inspected (no OCR).</summary>
    ImagesNotInspected,
    /// <summary>Text came out as replacement or private-use characters (e.g. fonts without ToUnicode).</summary>
    Garbled,
    /// <summary>A <see cref="ScanLimits"/> bound was hit; the rest was not read.</summary>
    LimitExceeded,
    /// <summary>The per-document time bound was hit.</summary>
    TimedOut,
    /// <summary>The format is recognised but not read, or not recognised at all.</summary>
    Unsupported,
    /// <summary>An unexpected failure inside an extractor or detector.</summary>
    Error,
}

/// <summary>What was not read, and why. Part of every verdict: a gap is never silent.</summary>
public sealed record CoverageNote(CoverageKind Kind, string Message, Location? Location = null);
