using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;

namespace SecScan.Extraction.OpenXml;

/// <summary>
/// The mutable state of reading one OOXML package, shared by DOCX, XLSX and PPTX: segments, notes, children,
/// the character budget, bounded part streaming, document properties and embedded objects.
/// </summary>
internal class OoxmlRun
{
    private char[]? _chunk;
    private long _characters;

    public OoxmlRun(ExtractionContext context, bool tolerantPackage)
    {
        Context = context;
        TolerantPackage = tolerantPackage;
        NameTable = new NameTable();
        Settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
            NameTable = NameTable,
        };
    }

    public enum PropertyKind { Core, Custom, Extended }

    public ExtractionContext Context { get; }

    public bool TolerantPackage { get; }

    /// <summary>Every reader of this run shares it, so element names atomized once compare by reference.</summary>
    public XmlNameTable NameTable { get; }

    public XmlReaderSettings Settings { get; }

    public List<TextSegment> Segments { get; } = [];

    public List<CoverageNote> Coverage { get; } = [];

    public List<ExtractedDocument> Children { get; } = [];

    /// <summary>Set once the character budget is spent: no further part is read.</summary>
    public bool Stopped { get; protected set; }

    /// <summary>Pictures seen so far (a:blip, v:imagedata …); reported as one ImagesNotInspected note.</summary>
    public int Images { get; set; }

    /// <summary>OLE object elements seen in the XML; more of them than embedded parts means linked objects.</summary>
    public int OleObjects { get; set; }

    /// <summary>Opens a part with the byte bound and turns parse failures and limits into notes for that part.</summary>
    public void ReadPart(OpenXmlPart part, Action<XmlReader> read, Action? flush) =>
        ReadPart(part.Uri.OriginalString, () => part.GetStream(FileMode.Open, FileAccess.Read), read, flush);

    /// <summary>Opens a part named <paramref name="where"/> ("/word/document.xml") with the byte bound; see the overload above.</summary>
    public void ReadPart(string where, Func<Stream> open, Action<XmlReader> read, Action? flush)
    {
        if (Stopped) return;
        Context.CancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var raw = open();
            using var bounded = new BoundedReadStream(raw, Context.Limits.MaxPartBytes);
            using var reader = XmlReader.Create(bounded, Settings);
            read(reader);
        }
        catch (LimitReachedException ex)
        {
            flush?.Invoke();
            Stopped |= ex.StopAll;
            Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded, ex.Message, Context.At() with { PartName = where }));
        }
        catch (Exception ex) when (IsDamaged(ex))
        {
            flush?.Invoke();
            Coverage.Add(new CoverageNote(CoverageKind.Corrupt,
                $"part {where} could not be read: {OoxmlPackage.Describe(ex)}", Context.At() with { PartName = where }));
        }
    }

    /// <summary>Package errors on the fast path are left to propagate: the document is then read again tolerantly.</summary>
    public bool IsDamaged(Exception ex) => OoxmlPackage.IsDamagedInput(ex) && (TolerantPackage || ex is not OpenXmlPackageException);

    /// <summary>Runs one step of package access; a damaged package becomes a Corrupt note, not a lost document.</summary>
    public void Guard(string what, Action step)
    {
        try
        {
            step();
        }
        catch (Exception ex) when (IsDamaged(ex))
        {
            Coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"{what} could not be read: {OoxmlPackage.Describe(ex)}", Context.At()));
        }
    }

    /// <summary>Adds a segment; its characters were charged to the budget as they were read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Emit(string text, Location location) => Segments.Add(new TextSegment(text, location));

    /// <summary>Appends a text node's value in chunks, so that one huge node cannot outgrow the budget.</summary>
    public void AppendValue(XmlReader reader, StringBuilder target)
    {
        if (!reader.CanReadValueChunk)
        {
            Charge(reader.Value.Length);
            target.Append(reader.Value);
            return;
        }
        int n;
        _chunk ??= new char[4096];
        while ((n = reader.ReadValueChunk(_chunk, 0, _chunk.Length)) > 0)
        {
            Charge(n);
            target.Append(_chunk, 0, n);
        }
    }

    /// <summary>Counts characters against <see cref="ScanLimits.MaxCharacters"/>; throws <see cref="LimitReachedException"/> past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Charge(int characters)
    {
        _characters += characters;
        if (_characters > Context.Limits.MaxCharacters)
            throw new LimitReachedException($"text beyond {Context.Limits.MaxCharacters:N0} characters was not read", stopAll: true);
    }

    /// <summary>Core, custom or extended properties as Metadata segments "name: value", named by property.</summary>
    public void ReadProperties(OpenXmlPart part, PropertyKind kind) =>
        ReadPart(part, reader => ReadPropertyElements(reader, kind), flush: null);

    /// <summary>Properties from a part named <paramref name="where"/>; see the overload above.</summary>
    public void ReadProperties(string where, Func<Stream> open, PropertyKind kind) =>
        ReadPart(where, open, reader => ReadPropertyElements(reader, kind), flush: null);

    private void ReadPropertyElements(XmlReader reader, PropertyKind kind)
    {
        var value = new StringBuilder();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1) continue;
            string? name = kind switch
            {
                PropertyKind.Core => CoreName(reader.LocalName),
                PropertyKind.Custom => reader.LocalName == "property" ? reader.GetAttribute("name") : null,
                _ => reader.LocalName is "Company" or "Manager" ? reader.LocalName : null,
            };
            if (name is null || reader.IsEmptyElement) continue;
            // Collect every text node below the property: custom values sit in a typed vt:* child.
            value.Clear();
            int depth = reader.Depth;
            while (reader.Read() && reader.Depth > depth)
                if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
                    AppendValue(reader, value);
            string text = value.ToString().Trim();
            if (text.Length > 0 && name.Length > 0)
                Emit($"{name}: {text}", Context.At(SegmentPart.Metadata) with { PartName = name });
        }
    }

    /// <summary>
    /// The same properties as <see cref="ReadPropertyElements(XmlReader, PropertyKind)"/>, from a part tokenized by
    /// <see cref="Utf8XmlScanner"/> (DOCX, whose package is read without XmlReader): a property is an element one
    /// level below the root, its value every piece of character data below it, trimmed.
    /// </summary>
    /// <remarks>
    /// As XmlReader delivers them, a text node made only of whitespace is left out (XmlNodeType.Whitespace) unless
    /// xml:space="preserve" is in scope (SignificantWhitespace), and CDATA sections are kept whatever they hold. A
    /// text node here ends at any markup, comments included; whitespace written as character references counts
    /// as text. Both differ from XmlReader only for whitespace between two pieces of text of one value.
    /// </remarks>
    /// <exception cref="XmlException">The part is malformed, or xml:space has a value other than default or preserve.</exception>
    public void ReadPropertyElements(ref Utf8XmlScanner xml, PropertyKind kind)
    {
        var value = new StringBuilder();
        Span<char> attribute = stackalloc char[256];
        // preserve[d]: xml:space="preserve" is in scope in the open element at depth d.
        Span<bool> preserve = stackalloc bool[64];
        while (xml.Read())
        {
            if (xml.Token != XmlToken.StartElement) continue;
            if (xml.Depth < preserve.Length) preserve[xml.Depth] = XmlSpacePreserve(ref xml, xml.Depth > 0 && preserve[xml.Depth - 1]);
            if (xml.Depth != 1) continue;
            string? name = kind switch
            {
                PropertyKind.Core => CoreName(xml.LocalName),
                PropertyKind.Custom => xml.LocalName.SequenceEqual("property"u8) ? AttributeValue(ref xml, "name"u8, attribute) : null,
                _ => xml.LocalName.SequenceEqual("Company"u8) ? "Company" : xml.LocalName.SequenceEqual("Manager"u8) ? "Manager" : null,
            };
            if (name is null || xml.IsEmptyElement) continue;
            value.Clear();
            int depth = xml.Depth;
            while (xml.Read() && !(xml.Token == XmlToken.EndElement && xml.Depth == depth))
            {
                if (xml.Token == XmlToken.StartElement)
                {
                    if (xml.Depth < preserve.Length) preserve[xml.Depth] = XmlSpacePreserve(ref xml, preserve[xml.Depth - 1]);
                    continue;
                }
                if (xml.Token == XmlToken.EndElement) continue;
                // Text sits one level below its element; deeper than the stack can say, whitespace is left out.
                bool significant = xml.Token == XmlToken.CData
                    || xml.RawText.IndexOfAnyExcept(" \t\r\n"u8) >= 0
                    || (xml.Depth - 1 < preserve.Length && preserve[xml.Depth - 1]);
                if (!significant) continue;
                _chunk ??= new char[4096];
                for (int consumed = 0; consumed < xml.RawText.Length;)
                {
                    int n = xml.DecodeText(ref consumed, _chunk);
                    Charge(n);
                    value.Append(_chunk, 0, n);
                }
            }
            string text = value.ToString().Trim();
            if (text.Length > 0 && name.Length > 0)
                Emit($"{name}: {text}", Context.At(SegmentPart.Metadata) with { PartName = name });
        }
    }

    /// <summary>xml:space on the current start tag: preserve or default, else what the parent had.</summary>
    private static bool XmlSpacePreserve(ref Utf8XmlScanner xml, bool inherited)
    {
        Span<char> space = stackalloc char[16];
        if (!xml.TryGetAttribute(XmlNs.Xml, "space"u8, space, out int length)) return inherited;
        if (space[..length].SequenceEqual("preserve")) return true;
        if (space[..length].SequenceEqual("default")) return false;
        throw xml.Malformed(xml.Position, "an xml:space value other than default or preserve");
    }

    /// <summary>An unprefixed attribute of the current start tag, or null; a value longer than the buffer is read into a larger one.</summary>
    private static string? AttributeValue(ref Utf8XmlScanner xml, ReadOnlySpan<byte> localName, scoped Span<char> buffer)
    {
        if (xml.TryGetAttribute(XmlNs.None, localName, buffer, out int length)) return new string(buffer[..length]);
        // Absent, or too long for the buffer: a decoded value has at most as many characters as the part has bytes.
        var large = new char[xml.Position];
        return xml.TryGetAttribute(XmlNs.None, localName, large, out length) ? new string(large, 0, length) : null;
    }

    private static string? CoreName(ReadOnlySpan<byte> localName) => localName switch
    {
        _ when localName.SequenceEqual("title"u8) => "title",
        _ when localName.SequenceEqual("subject"u8) => "subject",
        _ when localName.SequenceEqual("creator"u8) => "creator",
        _ when localName.SequenceEqual("keywords"u8) => "keywords",
        _ when localName.SequenceEqual("description"u8) => "description",
        _ when localName.SequenceEqual("category"u8) => "category",
        _ when localName.SequenceEqual("lastModifiedBy"u8) => "lastModifiedBy",
        _ => null,
    };

    private static string? CoreName(string localName) => localName switch
    {
        "title" or "subject" or "creator" or "keywords" or "description" or "category" or "lastModifiedBy" => localName,
        _ => null,
    };

    /// <summary>
    /// Embedded objects (an XLSX in a DOCX, a PDF or OLE package in a PPTX) become child documents through the
    /// dispatcher, which sniffs them; then images and unread chart/SmartArt parts are counted in notes.
    /// </summary>
    public void ReadEmbeddedObjectsAndInventory(OpenXmlPackage document)
    {
        int embeddedParts = 0, unread = 0, otherText = 0;
        foreach (var p in document.GetAllParts())
        {
            if (p is EmbeddedObjectPart or EmbeddedPackagePart)
            {
                embeddedParts++;
                if (!ReadEmbedded(p)) unread++;
            }
            // Chart labels, SmartArt nodes and altChunk imports are text these readers do not reach: say so.
            else if (p is ChartPart or DiagramDataPart or AlternativeFormatImportPart) otherText++;
        }
        AddInventoryNotes(embeddedParts, unread, otherText);
    }

    /// <summary>
    /// The notes on what was counted and not read: images, embedded objects (including linked ones: OLE elements
    /// beyond the embedded parts), and chart, SmartArt or imported-content parts.
    /// </summary>
    public void AddInventoryNotes(int embeddedParts, int unread, int otherText)
    {
        if (Images > 0)
            Coverage.Add(new CoverageNote(CoverageKind.ImagesNotInspected,
                Images == 1 ? "1 image not inspected" : $"{Images} images not inspected", Context.At()));
        // An OLE element without an embedded part is a linked object: its content lives elsewhere.
        unread += Math.Max(0, OleObjects - embeddedParts);
        if (unread > 0)
            Coverage.Add(new CoverageNote(CoverageKind.Unsupported,
                unread == 1 ? "1 embedded object not read" : $"{unread} embedded objects not read", Context.At()));
        if (otherText > 0)
            Coverage.Add(new CoverageNote(CoverageKind.Unsupported,
                $"{otherText} chart, SmartArt or imported-content part{(otherText == 1 ? "" : "s")} not read", Context.At()));
    }

    /// <summary>
    /// Extracts one embedded part as a child named by its path in the package ("word/embeddings/x.xlsx"), after
    /// taking a member and its expanded bytes from the file's budget. False when no dispatcher is available
    /// (the part is then counted as not read); refusals by a limit are notes of their own.
    /// </summary>
    private bool ReadEmbedded(OpenXmlPart part) =>
        ReadEmbedded(part.Uri.OriginalString.TrimStart('/'), () => part.GetStream(FileMode.Open, FileAccess.Read));

    /// <summary>Extracts one embedded part named <paramref name="name"/> ("word/embeddings/x.xlsx"); see the overload above.</summary>
    public bool ReadEmbedded(string name, Func<Stream> open)
    {
        if (Context.ExtractChild is not { } extractChild) return false;
        Context.CancellationToken.ThrowIfCancellationRequested();
        var at = Context.At() with { PartName = name };
        if (!Context.Budget.TryTakeMember())
        {
            Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"embedded object not read: over the {Context.Limits.MaxMembers:N0}-member limit", at));
            return true;
        }
        long max = Math.Min(Context.Limits.MaxPartBytes, Math.Min(Context.Limits.MaxInputBytes, Context.Budget.BytesLeft));
        using var copy = new MemoryStream();
        try
        {
            using var raw = open();
            using var bounded = new BoundedReadStream(raw, max);
            bounded.CopyTo(copy);
        }
        catch (LimitReachedException)
        {
            Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                $"embedded object not read: larger than the {max:N0} bytes still allowed", at));
            return true;
        }
        catch (Exception ex) when (IsDamaged(ex))
        {
            Coverage.Add(new CoverageNote(CoverageKind.Corrupt, $"embedded object could not be read: {OoxmlPackage.Describe(ex)}", at));
            return true;
        }
        if (!Context.Budget.TryTakeBytes(copy.Length))
        {
            Coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                "embedded object not read: the file's expanded-bytes budget is spent", at));
            return true;
        }
        copy.Position = 0;
        Children.Add(extractChild(copy, name, Context.ForChild(name)));
        return true;
    }
}
