using System.Xml;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace SecScan.Extraction.Pdf;

/// <summary>
/// Reads the text of a PDF's document information dictionary and XMP packet as (name, value) pairs.
/// Properties are text like any other: a title of "机密★5年 …" is a marking.
/// </summary>
internal static class PdfMetadata
{
    private static readonly string[] InfoKeys = ["Title", "Author", "Subject", "Keywords", "Creator", "Producer"];

    /// <summary>Info entries that are dates or flags, not prose.</summary>
    private static readonly HashSet<string> InfoSkip = new(StringComparer.Ordinal) { "CreationDate", "ModDate", "Trapped" };

    /// <summary>XMP properties that are identifiers, dates or format flags, never author-written text.</summary>
    private static readonly HashSet<string> XmpSkip = new(StringComparer.Ordinal)
    {
        "xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate", "pdf:PDFVersion", "dc:format",
        "pdfaid:part", "pdfaid:conformance", "pdfaid:amd", "x:xmptk",
    };

    /// <summary>Namespaces whose values are machine bookkeeping (ids, history) or RDF structure.</summary>
    private static readonly HashSet<string> XmpSkipNamespaces = new(StringComparer.Ordinal)
    {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/xmlns/",
        "http://www.w3.org/XML/1998/namespace", "http://ns.adobe.com/xap/1.0/mm/",
        "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    };

    /// <summary>Bounds hostile packets: a metadata stream is a few KB in practice.</summary>
    private const int MaxXmpValues = 1_000;

    public static IEnumerable<(string Name, string Value)> ReadInfo(PdfDocument document)
    {
        var info = document.Information;
        string?[] values = [info.Title, info.Author, info.Subject, info.Keywords, info.Creator, info.Producer];
        for (int i = 0; i < InfoKeys.Length; i++)
            if (!string.IsNullOrWhiteSpace(values[i])) yield return (InfoKeys[i], values[i]!.Trim());

        // Custom keys (e.g. /Classification) are where a marking may be tucked away on purpose.
        if (info.DocumentInformationDictionary is not { } dictionary) yield break;
        foreach (var (key, token) in dictionary.Data)
        {
            if (Array.IndexOf(InfoKeys, key) >= 0 || InfoSkip.Contains(key)) continue;
            var text = token switch { StringToken s => s.Data, HexToken h => h.Data, NameToken n => n.Data, _ => null };
            if (!string.IsNullOrWhiteSpace(text)) yield return (key, text.Trim());
        }
    }

    /// <summary>Every text value of the XMP packet, named by its qualified property name (<c>dc:title</c>).</summary>
    /// <exception cref="XmlException">The packet is not well-formed XML.</exception>
    public static List<(string Name, string Value)> ReadXmp(ReadOnlySpan<byte> xml, long maxBytes)
    {
        var result = new List<(string, string)>();
        if (xml.IsEmpty) return result;
        if (xml.Length > maxBytes) throw new InvalidDataException($"XMP packet of {xml.Length:N0} bytes is over the {maxBytes:N0}-byte part limit");

        var settings = new XmlReaderSettings
        {
            // No DTDs, no resolver: an XMP packet has no business expanding entities.
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = maxBytes,
        };
        using var stream = new MemoryStream(xml.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, settings);
        // The names of open elements that are properties (not rdf:li/Alt/Seq/Bag/Description wrappers).
        var properties = new Stack<string?>();
        while (reader.Read() && result.Count < MaxXmpValues)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    bool isProperty = !XmpSkipNamespaces.Contains(reader.NamespaceURI)
                        && !string.Equals(reader.NamespaceURI, "adobe:ns:meta/", StringComparison.Ordinal);
                    // Simple properties may be written as attributes of rdf:Description (pdf:Producer="…").
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            if (!XmpSkipNamespaces.Contains(reader.NamespaceURI) && reader.NamespaceURI.Length > 0)
                                Add(result, reader.Name, reader.Value);
                        } while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }
                    if (!reader.IsEmptyElement) properties.Push(isProperty ? reader.Name : null);
                    break;
                case XmlNodeType.EndElement:
                    if (properties.Count > 0) properties.Pop();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    // A value inside rdf:Alt/rdf:li belongs to the nearest enclosing property.
                    var name = properties.FirstOrDefault(n => n is not null);
                    if (name is not null) Add(result, name, reader.Value);
                    break;
            }
        }
        return result;
    }

    private static void Add(List<(string, string)> result, string name, string value)
    {
        if (XmpSkip.Contains(name) || string.IsNullOrWhiteSpace(value)) return;
        result.Add((name, value.Trim()));
    }
}
