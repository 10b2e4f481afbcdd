using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.Text;

/// <summary>
/// Plain text in any Chinese encoding. The text is one segment (line numbers are derived from offsets
/// when a finding is located), split into chunks at line breaks only when it is very large.
/// </summary>
public sealed class PlainTextExtractor : IExtractor
{
    private const int ChunkChars = 1 << 20;

    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.PlainText];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        var bytes = StreamBytes.ReadAll(stream, context.Limits.MaxInputBytes);
        var (text, encoding) = TextDecoder.Decode(bytes);
        var coverage = new List<CoverageNote>();
        if (text.Length > context.Limits.MaxCharacters)
        {
            text = text[..(int)context.Limits.MaxCharacters];
            coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"only the first {context.Limits.MaxCharacters:N0} characters were read", context.At()));
        }
        int replacement = text.AsSpan().Count('\uFFFD');
        if (replacement > 0 && replacement * 100 > text.Length)
            coverage.Add(new CoverageNote(CoverageKind.Garbled,
                $"{replacement:N0} characters could not be decoded as {encoding.WebName}", context.At()));

        var segments = new List<TextSegment>();
        int start = 0;
        while (start < text.Length)
        {
            int end = Math.Min(text.Length, start + ChunkChars);
            if (end < text.Length)
            {
                int nl = text.LastIndexOf('\n', end - 1, end - start);
                if (nl > start) end = nl + 1;
            }
            segments.Add(new TextSegment(text[start..end], context.At() with { PartName = segments.Count == 0 ? null : $"chunk {segments.Count + 1}" }));
            start = end;
        }
        return new ExtractedDocument(Extraction.MediaTypes.PlainText, segments, coverage);
    }
}
