using System.Text;
using System.Xml;

namespace SecScan.Extraction.OpenXml;

/// <summary>One DrawingML paragraph (a:p) with the shape and table cell it sits in.</summary>
/// <param name="Text">The paragraph's text; a:br is a line break.</param>
/// <param name="Placeholder">The placeholder type of the enclosing shape ("title", "body", "ftr" …), or null for a free shape.</param>
/// <param name="Table">1-based table number within the part, for table cells.</param>
/// <param name="Row">1-based row, for table cells.</param>
/// <param name="Column">1-based column, for table cells.</param>
internal readonly record struct DrawingParagraph(string Text, string? Placeholder, int? Table, int? Row, int? Column);

/// <summary>
/// Streams a part that holds a DrawingML shape tree (a PresentationML slide, layout, master or notes page, or a
/// SpreadsheetML drawing) and reports each non-empty paragraph in document order: titles, placeholders, text
/// boxes, shapes inside groups and table cells alike. Counts pictures and OLE objects on the way.
/// </summary>
/// <remarks>
/// Shapes are recognised by local name (p:sp and xdr:sp are the same shape), text by the DrawingML namespace.
/// Of an mc:AlternateContent only the first branch is read: every branch holds the same content.
/// </remarks>
internal sealed class DrawingTextReader
{
    private const string DrawingNs = "http://schemas.openxmlformats.org/drawingml/2006/main";
    private const string CompatibilityNs = "http://schemas.openxmlformats.org/markup-compatibility/2006";

    private readonly OoxmlRun _run;
    private readonly Action<DrawingParagraph> _emit;
    private readonly string _a, _mc, _sp, _ph, _p, _t, _br, _tbl, _tr, _tc, _blip, _oleObj, _alternate, _choice, _fallback, _type, _show;
    private readonly List<(int Depth, string? Placeholder)> _shapes = [];
    private readonly List<(int Index, int Row, int Column)> _tables = [];
    private readonly List<bool> _alternates = [];
    private readonly StringBuilder _paragraph = new();
    private int _tableCount;
    private bool _inParagraph;
    private bool _inText;

    public DrawingTextReader(OoxmlRun run, Action<DrawingParagraph> emit)
    {
        _run = run;
        _emit = emit;
        var n = run.NameTable;
        _a = n.Add(DrawingNs); _mc = n.Add(CompatibilityNs);
        _sp = n.Add("sp"); _ph = n.Add("ph"); _p = n.Add("p"); _t = n.Add("t"); _br = n.Add("br");
        _tbl = n.Add("tbl"); _tr = n.Add("tr"); _tc = n.Add("tc"); _blip = n.Add("blip"); _oleObj = n.Add("oleObj");
        _alternate = n.Add("AlternateContent"); _choice = n.Add("Choice"); _fallback = n.Add("Fallback");
        _type = n.Add("type"); _show = n.Add("show");
    }

    /// <summary>Pictures (a:blip) seen in the part.</summary>
    public int Pictures { get; private set; }

    /// <summary>OLE object frames (p:oleObj) seen in the part.</summary>
    public int OleObjects { get; private set; }

    /// <summary>True when the root element says show="0": a hidden slide.</summary>
    public bool Hidden { get; private set; }

    public void Read(XmlReader reader)
    {
        int nodes = 0;
        reader.Read();
        while (!reader.EOF)
        {
            if ((++nodes & 0xFFFF) == 0) _run.Context.CancellationToken.ThrowIfCancellationRequested();
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (Start(reader))
                    {
                        reader.Skip();
                        continue;
                    }
                    break;
                case XmlNodeType.EndElement:
                    End(reader);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (_inText) _run.AppendValue(reader, _paragraph);
                    break;
            }
            reader.Read();
        }
    }

    /// <summary>Emits a paragraph left open when a part stopped early, so partial text is still scanned.</summary>
    public void Flush()
    {
        if (_inParagraph) EmitParagraph();
        _inParagraph = _inText = false;
    }

    /// <summary>Handles a start tag; true when the whole element is to be skipped.</summary>
    private bool Start(XmlReader reader)
    {
        string local = reader.LocalName;
        string ns = reader.NamespaceURI;
        bool empty = reader.IsEmptyElement;
        if (reader.Depth == 0)
        {
            Hidden = reader.GetAttribute(_show) is "0" or "false";
            return false;
        }
        if ((object)ns == _mc)
        {
            if ((object)local == _alternate) { if (!empty) _alternates.Add(false); return false; }
            if (((object)local == _choice || (object)local == _fallback) && _alternates.Count > 0)
            {
                if (_alternates[^1]) return true;
                _alternates[^1] = true;
            }
            return false;
        }
        if ((object)ns == _a)
        {
            if ((object)local == _p && !empty) { _paragraph.Clear(); _inParagraph = true; return false; }
            if ((object)local == _t && _inParagraph) { _inText = !empty; return false; }
            if ((object)local == _br && _inParagraph) { _run.Charge(1); _paragraph.Append('\n'); return false; }
            if ((object)local == _blip) { Pictures++; return false; }
            if ((object)local == _tbl && !empty) { _tables.Add((++_tableCount, 0, 0)); return false; }
            if ((object)local == _tr && _tables.Count > 0) { var t = _tables[^1]; _tables[^1] = (t.Index, t.Row + 1, 0); return false; }
            if ((object)local == _tc && _tables.Count > 0) { var t = _tables[^1]; _tables[^1] = (t.Index, t.Row, t.Column + 1); return false; }
            return false;
        }
        if ((object)local == _sp && !empty) { _shapes.Add((reader.Depth, null)); return false; }
        if ((object)local == _ph && _shapes.Count > 0)
        {
            // A placeholder without a type is the generic content placeholder ("obj").
            _shapes[^1] = (_shapes[^1].Depth, reader.GetAttribute(_type) ?? "obj");
            return false;
        }
        if ((object)local == _oleObj) OleObjects++;
        return false;
    }

    private void End(XmlReader reader)
    {
        string local = reader.LocalName;
        string ns = reader.NamespaceURI;
        if ((object)ns == _a)
        {
            if ((object)local == _t) _inText = false;
            else if ((object)local == _p && _inParagraph) { EmitParagraph(); _inParagraph = false; }
            else if ((object)local == _tbl && _tables.Count > 0) _tables.RemoveAt(_tables.Count - 1);
        }
        else if ((object)ns == _mc && (object)local == _alternate && _alternates.Count > 0) _alternates.RemoveAt(_alternates.Count - 1);
        else if ((object)local == _sp && _shapes.Count > 0 && _shapes[^1].Depth == reader.Depth) _shapes.RemoveAt(_shapes.Count - 1);
    }

    private void EmitParagraph()
    {
        if (_paragraph.Length == 0) return;
        string text = _paragraph.ToString();
        if (text.AsSpan().IsWhiteSpace()) return;
        string? placeholder = _shapes.Count > 0 ? _shapes[^1].Placeholder : null;
        var table = _tables.Count > 0 ? _tables[^1] : default;
        _emit(new DrawingParagraph(text, placeholder,
            _tables.Count > 0 ? table.Index : null, _tables.Count > 0 ? table.Row : null, _tables.Count > 0 ? table.Column : null));
    }
}
