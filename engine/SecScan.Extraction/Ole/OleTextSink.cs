using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.Ole;

/// <summary>
/// What one OLE2 extraction has produced so far: segments, notes and children, with the character bound.
/// Readers add to it as they go, so whatever was read before a failure or a bound is kept.
/// </summary>
internal sealed class OleTextSink(ExtractionContext context)
{
    private long _characters;

    public ExtractionContext Context { get; } = context;

    public List<TextSegment> Segments { get; } = [];

    public List<CoverageNote> Coverage { get; } = [];

    public List<ExtractedDocument> Children { get; } = [];

    /// <summary>True once <see cref="ScanLimits.MaxCharacters"/> was reached: nothing more is kept.</summary>
    public bool Full { get; private set; }

    /// <summary>Keeps a segment unless it is blank or the character bound is reached (then one LimitExceeded note).</summary>
    public void Emit(string text, Location location)
    {
        if (Full || string.IsNullOrWhiteSpace(text)) return;
        _characters += text.Length;
        if (_characters > Context.Limits.MaxCharacters)
        {
            Full = true;
            Note(CoverageKind.LimitExceeded, $"text beyond {Context.Limits.MaxCharacters:N0} characters was not read");
            return;
        }
        Segments.Add(new TextSegment(text, location));
    }

    public void Note(CoverageKind kind, string message, Location? location = null) =>
        Coverage.Add(new CoverageNote(kind, message, location ?? Context.At()));

    /// <summary>Runs one reading step; damage becomes a Corrupt note naming <paramref name="what"/>, and what was read stays.</summary>
    public void Guard(string what, Action step)
    {
        try
        {
            step();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // NPOI reports damage with a wide range of exception types (IOException, ArgumentException,
            // IndexOutOfRangeException, RecordFormatException …): all of them mean "this part is damaged".
            Note(CoverageKind.Corrupt, $"{what} could not be read: {SafeText.Of(ex)}");
        }
    }

    public ExtractedDocument ToDocument(string mediaType) => new(mediaType, Segments, Coverage, Children);
}
