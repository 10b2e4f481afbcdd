using MimeKit;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.Html;

/// <summary>
/// Reads MHT/MHTML web archives (multipart/related, as saved by Internet Explorer, Word, Chromium): the
/// first HTML part is this document's text; further HTML parts (Word keeps page headers in
/// <c>header.htm</c>, framesets keep frames) are child documents; images are counted; other parts that can
/// carry text (embedded Office data, attachments) go through the dispatcher as children.
/// </summary>
/// <remarks>
/// MimeKit splits the parts and undoes their transfer encodings; each HTML part is decoded with the charset
/// of its own Content-Type when it names one. A part's decoded bytes are bounded by
/// <see cref="ScanLimits.MaxPartBytes"/> and charged to the file's expansion budget; a file MimeKit cannot
/// parse is one Corrupt note. Stateless and thread-safe.
/// </remarks>
public sealed class MhtExtractor : IExtractor
{
    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Mht];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(stream, context.CancellationToken);
        }
        catch (FormatException ex)
        {
            return ExtractedDocument.Unreadable(Extraction.MediaTypes.Mht,
                new CoverageNote(CoverageKind.Corrupt, $"MHT could not be parsed: {SafeText.Of(ex)}", context.At()));
        }
        using (message)
        {
            var segments = new List<TextSegment>();
            var coverage = new List<CoverageNote>();
            var children = new List<ExtractedDocument>();
            // The saved page's title as the browser wrote it into the archive's header.
            if (!string.IsNullOrWhiteSpace(message.Subject))
                segments.Add(new TextSegment($"Subject: {message.Subject.Trim()}", context.At(SegmentPart.Metadata) with { PartName = "Subject" }));
            bool main = false;
            int images = 0, index = 0;
            foreach (var part in message.BodyParts.OfType<MimePart>())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                index++;
                string type = part.ContentType.MimeType.ToLowerInvariant();
                if (type.StartsWith("image/", StringComparison.Ordinal))
                {
                    images++;
                    continue;
                }
                if (IsPresentationOnly(type)) continue;
                string name = PartName(part, index);
                if (main && !context.Budget.TryTakeMember())
                {
                    coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, "member limit reached: later parts were not read", context.At()));
                    break;
                }
                byte[]? bytes = Decode(part, context, coverage, name);
                if (bytes is null) continue;
                if (type is "text/html" or "application/xhtml+xml")
                {
                    if (!main)
                    {
                        main = true;
                        HtmlExtractor.Read(bytes, part.ContentType.Charset, context, segments, coverage);
                    }
                    else
                    {
                        var child = context.ForChild(name);
                        var childSegments = new List<TextSegment>();
                        var childCoverage = new List<CoverageNote>();
                        HtmlExtractor.Read(bytes, part.ContentType.Charset, child, childSegments, childCoverage);
                        children.Add(new ExtractedDocument(Extraction.MediaTypes.Html, childSegments, childCoverage));
                    }
                }
                else if (context.ExtractChild is { } extract)
                {
                    children.Add(extract(new MemoryStream(bytes, writable: false), name, context.ForChild(name)));
                }
            }
            if (!main)
                coverage.Add(new CoverageNote(CoverageKind.Unsupported, "the MHT file has no HTML part", context.At()));
            if (images > 0)
                coverage.Add(new CoverageNote(CoverageKind.ImagesNotInspected,
                    images == 1 ? "1 image not inspected" : $"{images} images not inspected", context.At()));
            return new ExtractedDocument(Extraction.MediaTypes.Mht, segments, coverage, children);
        }
    }

    /// <summary>Parts that style a page but hold no text a reader sees.</summary>
    private static bool IsPresentationOnly(string type) =>
        type is "text/css" or "text/javascript" or "application/javascript" or "application/x-javascript"
            or "text/xml" or "application/xml" or "application/vnd.ms-officetheme" or "application/x-font-woff"
        || type.StartsWith("font/", StringComparison.Ordinal);

    /// <summary>The part's file name, or the last segment of its Content-Location, or its position.</summary>
    private static string PartName(MimePart part, int index)
    {
        if (!string.IsNullOrWhiteSpace(part.FileName)) return Path.GetFileName(part.FileName);
        var location = part.ContentLocation?.OriginalString;
        if (!string.IsNullOrWhiteSpace(location))
        {
            var trimmed = location.TrimEnd('/');
            int slash = trimmed.LastIndexOfAny(['/', '\\']);
            var last = slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
            if (last.Length is > 0 and <= 200) return Uri.UnescapeDataString(last);
        }
        return $"part {index}";
    }

    /// <summary>The decoded bytes of a part, or null (with a note) when it is over a bound.</summary>
    private static byte[]? Decode(MimePart part, ExtractionContext context, List<CoverageNote> coverage, string name)
    {
        if (part.Content is null) return [];
        using var output = new BoundedWriteStream(context.Limits.MaxPartBytes);
        try
        {
            part.Content.DecodeTo(output, context.CancellationToken);
        }
        catch (InvalidDataException)
        {
            coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"part {name} is larger than {context.Limits.MaxPartBytes:N0} bytes and was not read", context.At()));
            return null;
        }
        if (!context.Budget.TryTakeBytes(output.Length))
        {
            coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"part {name} was not read: the file's expansion budget is spent", context.At()));
            return null;
        }
        return output.ToArray();
    }

    /// <summary>A memory stream that refuses to grow past a bound, so a hostile part cannot exhaust memory.</summary>
    private sealed class BoundedWriteStream(long max) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > max) throw new InvalidDataException($"more than {max} bytes");
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Length + buffer.Length > max) throw new InvalidDataException($"more than {max} bytes");
            base.Write(buffer);
        }
    }
}
