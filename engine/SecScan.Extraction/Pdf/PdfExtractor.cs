using System.Globalization;
using System.Xml;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Annotations;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Tokens;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Exceptions;

namespace SecScan.Extraction.Pdf;

/// <summary>
/// Reads PDF text with PdfPig: one <see cref="TextSegment"/> per visual line, page by page, with
/// <see cref="Location.Page"/>, <see cref="Location.Paragraph"/> (the line's 1-based index on its page)
/// and <see cref="Location.TopFraction"/>; then the document information and XMP properties as
/// <see cref="SegmentPart.Metadata"/> segments named by key; files attached to the document (/EmbeddedFiles)
/// become child documents through the dispatcher.
/// </summary>
/// <remarks>
/// Never a silent pass: a user password gives <see cref="CoverageKind.Encrypted"/>; a page of images
/// without text gives <see cref="CoverageKind.ImageOnly"/>; images beside text give one
/// <see cref="CoverageKind.ImagesNotInspected"/>; a page whose letters are mostly unmappable gives
/// <see cref="CoverageKind.Garbled"/> (its text is still emitted); a page PdfPig cannot parse gives
/// <see cref="CoverageKind.Corrupt"/> while the other pages are read; pages or characters past
/// <see cref="ScanLimits"/> give <see cref="CoverageKind.LimitExceeded"/>. A file PdfPig cannot open at
/// all throws, and the dispatcher records it. Throws <see cref="OperationCanceledException"/> between
/// pages once the context's token is cancelled. Stateless and thread-safe.
/// </remarks>
public sealed class PdfExtractor : IExtractor
{
    /// <summary>More than this share of a page's letters unmappable means its text is not trustworthy.</summary>
    private const double GarbledShare = 0.10;

    /// <summary>After this many pages in a row fail, the page tree is taken as broken and reading stops.</summary>
    private const int MaxConsecutiveFailures = 10;

    /// <summary>Pages listed by number in a note before the rest are summarised as a count.</summary>
    private const int PagesListed = 20;

    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Pdf];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        // PdfPig reads a Stream byte by byte through its own wrapper; from memory it indexes directly: measured 2×
        // faster on LibreOffice PDFs. The buffer is rented: a 26 MB file read into a fresh array on every call made
        // the GC collect the large-object heap over and over. The input is bounded by MaxInputBytes. Nothing of the
        // document outlives this call (attachments are copied before their child is read), so the buffer goes back
        // to the pool when it returns.
        using var bytes = StreamBytes.Rent(stream, context.Limits.MaxInputBytes);
        return Extract(bytes.Memory, context);
    }

    private static ExtractedDocument Extract(ReadOnlyMemory<byte> bytes, ExtractionContext context)
    {
        var segments = new List<TextSegment>();
        var coverage = new List<CoverageNote>();
        var children = new List<ExtractedDocument>();
        PdfDocument document;
        try
        {
            // Lenient parsing recovers most damaged xref tables; fonts stay strict (SkipMissingFonts = false)
            // so that a page whose font is broken fails loudly instead of silently losing letters.
            document = PdfDocument.Open(bytes, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = false });
        }
        catch (PdfDocumentEncryptedException)
        {
            return Encrypted(context);
        }
        catch (PdfDocumentFormatException ex)
        {
            throw new InvalidDataException($"not a readable PDF: {SafeText.Of(ex)}", ex);
        }

        using (document)
        {
            try
            {
                ReadMetadata(document, context, segments, coverage);
                var annotations = ReadPages(document, bytes, context, segments, coverage);
                ReadAttachments(document, context, children, coverage, annotations);
            }
            catch (PdfDocumentEncryptedException)
            {
                // Some encryption handlers are only refused when the first object is decrypted.
                return Encrypted(context);
            }
        }
        return new ExtractedDocument(Extraction.MediaTypes.Pdf, segments, coverage, children);
    }

    private static ExtractedDocument Encrypted(ExtractionContext context) =>
        ExtractedDocument.Unreadable(Extraction.MediaTypes.Pdf, new CoverageNote(CoverageKind.Encrypted,
            "PDF needs a password to open: contents not read", context.At()));

    /// <returns>The file attachment annotations seen on the pages read, with their page numbers.</returns>
    private static List<(int Page, DictionaryToken Annotation)> ReadPages(PdfDocument document, ReadOnlyMemory<byte> bytes, ExtractionContext context, List<TextSegment> segments, List<CoverageNote> coverage)
    {
        var attachmentAnnotations = new List<(int, DictionaryToken)>();
        int pageCount = document.NumberOfPages;
        int readable = Math.Min(pageCount, context.Limits.MaxPages);
        long characters = 0;
        var imagePages = new List<int>();
        int images = 0;
        var failed = new List<int>();
        int consecutiveFailures = 0;
        bool overCharacters = false;

        // The text layer reads every page whose fonts it can decode; PdfPig's letters read the rest.
        var layer = new PdfTextLayer(document.Structure.TokenScanner, document.Structure.FilterProvider)
        {
            CancellationToken = context.CancellationToken,
            MaxGlyphs = (int)Math.Min(int.MaxValue, context.Limits.MaxCharacters + 1L),
            RawObjects = document.IsEncrypted ? null : (bytes, document.Structure.CrossReferenceTable.ObjectOffsets),
        };
        document.AddPageFactory(layer);

        // Bounded by the page count PdfPig found and by MaxPages: a hostile /Count cannot make this loop long.
        for (int number = 1; number <= readable; number++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            List<PdfLine> lines;
            int pageImages, letters, garbled;
            try
            {
                // The page (and its glyphs) is dropped at the end of the iteration: only lines survive.
                var page = ReadPage(document, number, attachmentAnnotations);
                (letters, garbled) = CountLetters(page.Glyphs);
                lines = PdfLineBuilder.Build(page.Glyphs, page.Top, page.Height);
                pageImages = page.Images;
                consecutiveFailures = 0;
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or PdfDocumentEncryptedException or OutOfMemoryException))
            {
                failed.Add(number);
                coverage.Add(new CoverageNote(IsCorruption(ex) ? CoverageKind.Corrupt : CoverageKind.Error,
                    $"page {number} could not be read: {SafeText.Of(ex)}", context.At() with { Page = number }));
                if (++consecutiveFailures >= MaxConsecutiveFailures)
                {
                    coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                        $"stopped after {MaxConsecutiveFailures} unreadable pages in a row; pages {number + 1}–{pageCount} not read", context.At()));
                    break;
                }
                continue;
            }

            var at = context.At() with { Page = number };
            for (int i = 0; i < lines.Count; i++)
            {
                segments.Add(new TextSegment(lines[i].Text, at with { Paragraph = i + 1, TopFraction = lines[i].TopFraction }));
                characters += lines[i].Text.Length;
            }

            if (pageImages > 0 && letters == 0)
                coverage.Add(new CoverageNote(CoverageKind.ImageOnly,
                    $"page {number} is {(pageImages == 1 ? "an image" : $"{pageImages} images")} without a text layer: not read (no OCR)", at));
            else if (pageImages > 0)
            {
                images += pageImages;
                imagePages.Add(number);
            }
            if (letters > 0 && garbled > GarbledShare * letters)
                coverage.Add(new CoverageNote(CoverageKind.Garbled,
                    $"page {number}: {garbled} of {letters} letters have no Unicode mapping (font without ToUnicode?); its text is unreliable", at));

            if (characters > context.Limits.MaxCharacters)
            {
                coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                    $"text over the {context.Limits.MaxCharacters:N0}-character limit after page {number}; pages {number + 1}–{pageCount} not read", context.At()));
                overCharacters = true;
                break;
            }
        }

        if (!overCharacters && pageCount > readable)
            coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"PDF has {pageCount:N0} pages; only the first {context.Limits.MaxPages:N0} were read", context.At()));
        if (images > 0)
            coverage.Add(new CoverageNote(CoverageKind.ImagesNotInspected,
                $"{images} image{(images == 1 ? "" : "s")} on page{(imagePages.Count == 1 ? "" : "s")} {ListPages(imagePages)} not inspected (no OCR)", context.At()));
        return attachmentAnnotations;
    }

    /// <summary>
    /// One page through the text layer, or through PdfPig's letters when the layer leaves it (see
    /// <see cref="PdfTextLayer"/>) or fails on it: PdfPig then decides, and its failure is the page's.
    /// </summary>
    private static PdfTextPage ReadPage(PdfDocument document, int number, List<(int, DictionaryToken)> attachmentAnnotations)
    {
        try
        {
            var text = document.GetPage<PdfTextPage>(number);
            if (text.Unsupported is null)
            {
                foreach (var annotation in text.FileAttachments) attachmentAnnotations.Add((number, annotation));
                return text;
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or PdfDocumentEncryptedException or OutOfMemoryException))
        {
            // PdfPig reads the page below; if the page is truly broken, its exception becomes the note.
        }

        var page = document.GetPage(number);
        var glyphs = new List<PdfGlyph>(page.Letters.Count);
        foreach (var letter in page.Letters) glyphs.Add(PdfGlyph.Of(letter));
        var (top, height) = DisplayedTop(page);
        AttachmentAnnotations(page, number, attachmentAnnotations);
        return new PdfTextPage { Glyphs = glyphs, Images = page.NumberOfImages, Top = top, Height = height };
    }

    /// <summary>File attachment annotations (the paper-clip icon on a page); a broken annotation list adds none.</summary>
    private static void AttachmentAnnotations(Page page, int number, List<(int, DictionaryToken)> found)
    {
        try
        {
            foreach (var a in page.GetAnnotations())
                if (a.Type == AnnotationType.FileAttachment) found.Add((number, a.AnnotationDictionary));
        }
        catch (Exception ex) when (IsCorruption(ex))
        {
            // The page's text was read; its annotation list is unreadable and holds nothing we can reach.
        }
    }

    /// <summary>
    /// Attached files become child documents through the dispatcher, after taking a member and their size from the
    /// file's budget: those in the document's /EmbeddedFiles name tree (where "attach a file" puts them) and those
    /// behind file attachment annotations (the paper-clip comment), the latter unless the name tree already holds
    /// the same file.
    /// </summary>
    private static void ReadAttachments(PdfDocument document, ExtractionContext context, List<ExtractedDocument> children,
        List<CoverageNote> coverage, List<(int Page, DictionaryToken Annotation)> annotations)
    {
        IReadOnlyList<EmbeddedFile> files;
        try
        {
            files = document.Advanced.TryGetEmbeddedFiles(out var found) && found is not null ? found : [];
        }
        catch (Exception ex) when (IsCorruption(ex))
        {
            coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"embedded files could not be read: {SafeText.Of(ex)}", context.At()));
            files = [];
        }

        var seen = new HashSet<(string, int)>();
        for (int i = 0; i < files.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var file = files[i];
            string name = AttachmentName(file.Name, i + 1);
            ReadOnlyMemory<byte>? bytes = null;
            try
            {
                bytes = file.Memory;
            }
            catch (Exception ex) when (IsCorruption(ex))
            {
                coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"attached file could not be read: {SafeText.Of(ex)}", context.At() with { PartName = name }));
            }
            if (bytes is not { } data) continue;
            seen.Add((name, data.Length));
            AddChild(name, data, context.At() with { PartName = name }, context, children, coverage);
        }

        var scanner = document.Structure.TokenScanner;
        for (int i = 0; i < annotations.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var (page, annotation) = annotations[i];
            string name = $"attachment on page {page}";
            var at = context.At() with { Page = page };
            try
            {
                if (!annotation.TryGet(NameToken.Create("FS"), scanner, out DictionaryToken? spec) || spec is null
                    || !spec.TryGet(NameToken.Create("EF"), scanner, out DictionaryToken? ef) || ef is null
                    || !ef.TryGet(NameToken.F, scanner, out StreamToken? stream) || stream is null)
                {
                    coverage.Add(new CoverageNote(CoverageKind.Unsupported, $"file attachment annotation on page {page} has no embedded file (a link to an outside file?)", at));
                    continue;
                }
                name = AttachmentName(FileSpecName(spec, scanner), i + 1, page);
                var data = stream.Decode(document.Structure.FilterProvider, scanner);
                if (seen.Contains((name, data.Length))) continue;
                AddChild(name, data, at with { PartName = name }, context, children, coverage);
            }
            catch (Exception ex) when (IsCorruption(ex) || ex is PdfDocumentFormatException or NotSupportedException)
            {
                coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"file attachment annotation on page {page} could not be read: {SafeText.Of(ex)}", at with { PartName = name }));
            }
        }
    }

    /// <remarks>Notes name the file only in <see cref="Location.PartName"/>, as container paths do: never in the message.</remarks>
    private static void AddChild(string name, ReadOnlyMemory<byte> bytes, Location at, ExtractionContext context,
        List<ExtractedDocument> children, List<CoverageNote> coverage)
    {
        if (context.ExtractChild is not { } extractChild)
        {
            coverage.Add(new CoverageNote(CoverageKind.Unsupported, "attached file not read", at));
            return;
        }
        if (!context.Budget.TryTakeMember())
        {
            coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"attached file not read: over the {context.Limits.MaxMembers:N0}-member limit", at));
            return;
        }
        if (bytes.Length > context.Limits.MaxPartBytes || !context.Budget.TryTakeBytes(bytes.Length))
        {
            coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"attached file not read: {bytes.Length:N0} bytes is over what the file may still expand", at));
            return;
        }
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        children.Add(extractChild(stream, name, context.ForChild(name)));
    }

    /// <summary>The file specification's Unicode name (/UF), else its /F name; null when neither is a string.</summary>
    private static string? FileSpecName(DictionaryToken spec, UglyToad.PdfPig.Tokenization.Scanner.IPdfTokenScanner scanner)
    {
        foreach (var key in new[] { NameToken.Create("UF"), NameToken.F })
        {
            if (spec.TryGet(key, scanner, out StringToken? text) && text is { Data.Length: > 0 }) return text.Data;
            if (spec.TryGet(key, scanner, out HexToken? hex) && hex is { Data.Length: > 0 }) return hex.Data;
        }
        return null;
    }

    /// <summary>A child's name: the file name the PDF gives, without any path; a numbered placeholder if it gives none.</summary>
    private static string AttachmentName(string? given, int index, int? page = null)
    {
        string name = string.IsNullOrWhiteSpace(given) ? "" : Path.GetFileName(given.Replace('\\', '/').Trim());
        if (name.Length > 0) return name;
        return page is { } p ? $"attachment {index} on page {p}" : $"attachment {index}";
    }

    private static void ReadMetadata(PdfDocument document, ExtractionContext context, List<TextSegment> segments, List<CoverageNote> coverage)
    {
        // The same title usually sits in both the info dictionary and XMP; one copy is enough for detectors.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name, string value)
        {
            if (seen.Add(value))
                segments.Add(new TextSegment($"{name}: {value}", context.At(SegmentPart.Metadata) with { PartName = name }));
        }

        try
        {
            foreach (var (name, value) in PdfMetadata.ReadInfo(document)) Add(name, value);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or PdfDocumentEncryptedException))
        {
            coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                $"document information could not be read: {SafeText.Of(ex)}", context.At(SegmentPart.Metadata)));
        }

        try
        {
            if (document.TryGetXmpMetadata(out var xmp))
                foreach (var (name, value) in PdfMetadata.ReadXmp(xmp.GetXmlBytes(), context.Limits.MaxPartBytes)) Add(name, value);
        }
        catch (Exception ex) when (ex is XmlException or InvalidDataException or PdfDocumentFormatException)
        {
            coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                $"XMP metadata could not be read: {SafeText.Of(ex)}", context.At(SegmentPart.Metadata) with { PartName = "XMP" }));
        }
    }

    private static (int Letters, int Garbled) CountLetters(List<PdfGlyph> glyphs)
    {
        int total = 0, bad = 0;
        foreach (var glyph in glyphs)
        {
            var value = glyph.Value;
            if (value.Length > 0 && string.IsNullOrWhiteSpace(value)) continue;
            total++;
            // An empty value is a glyph PdfPig could not map to Unicode at all.
            if (value.Length == 0) { bad++; continue; }
            foreach (char c in value)
            {
                if (c == '\uFFFD' || c is >= '\uE000' and <= '\uF8FF' || char.IsControl(c)) { bad++; break; }
            }
        }
        return (total, bad);
    }

    /// <summary>The top edge and height of the page as displayed, in the coordinates PdfPig gives letters.</summary>
    /// <remarks>
    /// PdfPig already applies /Rotate to letter positions (a 90° page has its letters in a landscape frame
    /// with the origin at 0,0), so only an unrotated page keeps its crop box's own origin.
    /// </remarks>
    internal static (double Top, double Height) DisplayedTop(UglyToad.PdfPig.Content.Page page)
    {
        if (page.Rotation.Value % 360 != 0) return (page.Height, page.Height);
        var crop = page.CropBox.Bounds;
        var box = crop.Width > 0 && crop.Height > 0 ? crop : page.MediaBox.Bounds;
        return (box.Top, box.Height);
    }

    /// <remarks>PdfPig's nesting guard (<see cref="PdfDocumentStackDepthException"/>) fires on hostile content: corrupt, not our error.</remarks>
    private static bool IsCorruption(Exception ex) =>
        ex is PdfDocumentFormatException or PdfDocumentStackDepthException or InvalidDataException or FormatException or EndOfStreamException
            or ArgumentOutOfRangeException or IndexOutOfRangeException or KeyNotFoundException or InvalidOperationException;

    private static string ListPages(List<int> pages)
    {
        var listed = string.Join(", ", pages.Take(PagesListed).Select(p => p.ToString(CultureInfo.InvariantCulture)));
        return pages.Count > PagesListed ? $"{listed} and {pages.Count - PagesListed} more" : listed;
    }
}
