using System.Buffers.Binary;
using System.Text;
using NPOI.POIFS.FileSystem;
using SecScan.Core.Documents;

namespace SecScan.Extraction.Ole;

/// <summary>
/// Word 97–2003 binary documents ([MS-DOC]), read by hand: no maintained .NET library reads them. The FIB gives
/// the table stream and the character counts of each subdocument; the piece table (CLX) maps character
/// positions (CPs) to bytes of the WordDocument stream; the text is split at paragraph marks into segments
/// located by subdocument (body, footnotes, headers/footers, comments, endnotes, text boxes) and paragraph.
/// Field codes are dropped and field results kept. Formatting (hidden text, deletions) is not decoded: the
/// piece table holds that text too, so it is read as ordinary text of its story.
/// </summary>
/// <remarks>
/// Every offset and length read from the file is checked against the stream it points into; damage gives a
/// Corrupt note and whatever was decoded before it is kept.
/// </remarks>
internal static class DocReader
{
    /// <summary>[MS-DOC] 2.5.2 FibBase.wIdent.</summary>
    private const ushort WordIdent = 0xA5EC;

    /// <summary>[MS-DOC] 2.5.2: nFib of Word 97; older files (Word 6/95) have another FIB and no piece table of this form.</summary>
    private const ushort Word97Fib = 0x00C1;

    /// <summary>[MS-DOC] 2.5.2 FibBase flags at offset 0x0A.</summary>
    private const ushort FlagEncrypted = 0x0100, FlagWhichTable = 0x0200;

    /// <summary>Indexes into FibRgLw97 ([MS-DOC] 2.5.5) of ccpText … ccpHdrTxbx.</summary>
    private const int LwCcpText = 3, LwCcpFtn = 4, LwCcpHdd = 5, LwCcpAtn = 7, LwCcpEdn = 8, LwCcpTxbx = 9, LwCcpHdrTxbx = 10;

    /// <summary>Indexes of (fc, lcb) pairs in FibRgFcLcb97 ([MS-DOC] 2.5.6): fcPlcfHdd and fcClx.</summary>
    private const int PairPlcfHdd = 11, PairClx = 33;

    /// <summary>The subdocuments in CP order ([MS-DOC] 2.3.1 … 2.3.7): main, footnotes, headers, comments, endnotes, text boxes, header text boxes.</summary>
    private static readonly (int Lw, SegmentPart Part, string? Name)[] Subdocuments =
    [
        (LwCcpText, SegmentPart.Body, null),
        (LwCcpFtn, SegmentPart.Footnote, null),
        (LwCcpHdd, SegmentPart.Header, null),
        (LwCcpAtn, SegmentPart.Comment, null),
        (LwCcpEdn, SegmentPart.Endnote, null),
        (LwCcpTxbx, SegmentPart.TextBox, null),
        (LwCcpHdrTxbx, SegmentPart.TextBox, "header text box"),
    ];

    static DocReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static void Read(DirectoryEntry root, OleTextSink sink)
    {
        if (Ole2Extractor.Find(root, "WordDocument") is not DocumentEntry wordEntry)
        {
            sink.Note(CoverageKind.Corrupt, "DOC has no WordDocument stream");
            return;
        }
        var word = Ole2Extractor.ReadStream(wordEntry, sink, "the WordDocument stream");
        if (word is null) return;

        if (!Fib.TryParse(word, out var fib, out var problem))
        {
            sink.Note(problem.Kind, problem.Message);
            return;
        }
        var tableName = fib.Table1 ? "1Table" : "0Table";
        if (Ole2Extractor.Find(root, tableName) is not DocumentEntry tableEntry)
        {
            sink.Note(CoverageKind.Corrupt, $"DOC has no {tableName} stream: text not read");
            return;
        }
        var table = Ole2Extractor.ReadStream(tableEntry, sink, $"the {tableName} stream");
        if (table is null) return;

        long total = 0;
        foreach (var (lw, _, _) in Subdocuments) total += fib.Lw(lw);
        // Reading stops past the character bound anyway; decoding more would only cost memory.
        long wanted = Math.Min(total, sink.Context.Limits.MaxCharacters + 1);
        var text = PieceTable.Decode(word, table, fib.Pair(PairClx), wanted, out var damage);
        if (damage is not null) sink.Note(CoverageKind.Corrupt, $"DOC piece table: {damage}; text after it was not read");

        // Pictures are anchored in the text: 0x01 for an inline picture, 0x08 for a drawn object ([MS-DOC]
        // 2.4.1 special characters). Their content is an image we do not read: say so.
        int pictures = 0;
        foreach (char c in text.AsSpan()) if (c is '\u0001' or '\u0008') pictures++;
        if (pictures > 0)
            sink.Note(CoverageKind.ImagesNotInspected, $"{pictures} picture(s) or drawn object(s) not inspected");

        var hdd = HeaderStories(table, fib.Pair(PairPlcfHdd), fib.Lw(LwCcpHdd));
        long start = 0;
        foreach (var (lw, part, name) in Subdocuments)
        {
            long length = fib.Lw(lw);
            if (length > 0 && start < text.Length)
            {
                int from = (int)start, to = (int)Math.Min(start + length, text.Length);
                if (part == SegmentPart.Header && hdd is not null)
                    foreach (var story in hdd)
                        EmitStory(text, from + story.Start, Math.Min(from + story.End, to), story.Part, story.Name, sink);
                else
                    EmitStory(text, from, to, part, name, sink);
            }
            start += length;
        }
    }

    /// <summary>
    /// Splits CPs [from, to) into paragraphs and emits them. Special characters ([MS-DOC] 2.4.1 Retrieving Text,
    /// and the Fields and special-character descriptions of section 2.4):
    /// 0x0D paragraph mark, 0x07 cell or row mark, 0x0C page or section break and 0x0E column break end a
    /// paragraph; 0x0B is a line break; 0x13 … 0x14 … 0x15 is field begin, separator and end (the code between
    /// begin and separator is dropped, the result kept; fields nest); 0x1E is a non-breaking hyphen; the other
    /// control characters (pictures, note and comment references, separators) are anchors without text.
    /// </summary>
    internal static void EmitStory(string text, int from, int to, SegmentPart part, string? name, OleTextSink sink)
    {
        if (from >= to) return;
        var line = new StringBuilder();
        var fields = new Stack<bool>();   // per open field: true once its separator was seen (in the result)
        int inCode = 0;                   // open fields still in their code part
        int paragraph = 0;
        var at = sink.Context.At(part) with { PartName = name };
        // Tables ([MS-DOC] 2.4.3 Overview of Tables): every cell ends with 0x07, and every row ends with a
        // row-end mark, a paragraph that is a lone 0x07. So "a\x07b\x07\x07" is one row of two cells. Cells are
        // passed on with Table/Row/Column, as the DOCX reader does, so the table detectors see rows.
        int table = 0, row = 0, column = 0;
        char previousEnd = '\r';

        void Flush(char end)
        {
            bool cellEnd = end == '\u0007';
            if (cellEnd && line.Length == 0 && previousEnd == '\u0007')
            {
                row++;                       // the row-end mark: no text, the next cell starts a new row
                column = 0;
                previousEnd = '\0';          // a third 0x07 would be an empty first cell, not another row end
                return;
            }
            bool inTable = previousEnd is '\u0007' or '\0';
            if (cellEnd && !inTable && previousEnd != '\u0001')
            {
                table++;                     // first cell of a new table
                row = 1;
                column = 0;
            }
            paragraph++;
            var where = at with { Paragraph = paragraph };
            if (cellEnd) where = where with { Table = table, Row = row, Column = ++column };
            else if (previousEnd == '\u0001') where = where with { Table = table, Row = row, Column = column + 1 };   // a cell's earlier paragraph
            sink.Emit(line.ToString(), where);
            line.Clear();
            // A paragraph mark inside a row (after a cell, before the row end) continues the next cell.
            previousEnd = cellEnd ? '\u0007' : previousEnd == '\u0007' && row > 0 && column > 0 ? '\u0001' : end == '\r' && previousEnd == '\u0001' ? '\u0001' : '\r';
        }

        for (int i = from; i < to && !sink.Full; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\u0013':
                    fields.Push(false);
                    inCode++;
                    continue;
                case '\u0014':
                    if (fields.Count > 0 && !fields.Peek()) { fields.Pop(); fields.Push(true); inCode--; }
                    continue;
                case '\u0015':
                    if (fields.Count > 0 && !fields.Pop()) inCode--;
                    continue;
            }
            if (c is '\r' or '\u0007' or '\u000C' or '\u000E')
            {
                if (inCode == 0) Flush(c);
                continue;
            }
            if (inCode > 0) continue;
            if (c == '\u000B') line.Append('\n');
            else if (c == '\u001E') line.Append('-');
            else if (c == '\t' || c >= ' ') line.Append(c);
        }
        if (line.Length > 0) Flush('\r');
    }

    private readonly record struct Story(int Start, int End, SegmentPart Part, string? Name);

    /// <summary>
    /// The stories of the header subdocument from Plcfhdd ([MS-DOC] Plcfhdd, and 2.3 Document Parts: Headers and Footers): six separator stories
    /// (footnote and endnote separators, not text), then six per section: even header, odd header, even footer,
    /// odd footer, first-page header, first-page footer. Null when absent or malformed: the whole subdocument is
    /// then read as Header.
    /// </summary>
    private static List<Story>? HeaderStories(byte[] table, (uint Fc, uint Lcb) plc, long ccpHdd)
    {
        if (plc.Lcb < 8 || plc.Lcb % 4 != 0 || (long)plc.Fc + plc.Lcb > table.Length) return null;
        int count = (int)(plc.Lcb / 4);
        var cps = new int[count];
        for (int i = 0; i < count; i++)
        {
            uint cp = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan((int)plc.Fc + 4 * i));
            // The last CP may sit one past ccpHdd: it ends the subdocument's guard paragraph mark.
            if (cp > ccpHdd + 1 || (i > 0 && cp < cps[i - 1])) return null;
            cps[i] = (int)cp;
        }
        var stories = new List<Story>();
        for (int i = 6; i + 1 < count; i++)
        {
            int k = (i - 6) % 6, section = (i - 6) / 6 + 1;
            var (part, pages) = k switch
            {
                0 => (SegmentPart.Header, "even pages"),
                1 => (SegmentPart.Header, "odd pages"),
                2 => (SegmentPart.Footer, "even pages"),
                3 => (SegmentPart.Footer, "odd pages"),
                4 => (SegmentPart.Header, "first page"),
                _ => (SegmentPart.Footer, "first page"),
            };
            if (cps[i + 1] > cps[i]) stories.Add(new Story(cps[i], cps[i + 1], part, $"section {section}, {pages}"));
        }
        return stories;
    }

    /// <summary>The fields of the FIB this reader needs ([MS-DOC] 2.5.1 Fib).</summary>
    internal readonly struct Fib
    {
        private readonly byte[] _word;
        private readonly int _rgLw, _cslw, _rgFcLcb, _cbRgFcLcb;

        private Fib(byte[] word, bool table1, int rgLw, int cslw, int rgFcLcb, int cbRgFcLcb)
        {
            _word = word;
            Table1 = table1;
            _rgLw = rgLw;
            _cslw = cslw;
            _rgFcLcb = rgFcLcb;
            _cbRgFcLcb = cbRgFcLcb;
        }

        /// <summary>fWhichTblStm: the table stream is 1Table (else 0Table).</summary>
        public bool Table1 { get; }

        /// <summary>FibRgLw97 entry <paramref name="index"/>; a negative count (a lying file) reads as 0.</summary>
        public long Lw(int index) =>
            index < _cslw ? Math.Max(0, BinaryPrimitives.ReadInt32LittleEndian(_word.AsSpan(_rgLw + 4 * index))) : 0;

        /// <summary>FibRgFcLcb pair <paramref name="index"/>, or (0, 0) if the FIB is too short to have it.</summary>
        public (uint Fc, uint Lcb) Pair(int index) => index < _cbRgFcLcb
            ? (BinaryPrimitives.ReadUInt32LittleEndian(_word.AsSpan(_rgFcLcb + 8 * index)),
               BinaryPrimitives.ReadUInt32LittleEndian(_word.AsSpan(_rgFcLcb + 8 * index + 4)))
            : (0, 0);

        /// <summary>FibBase (32 bytes), csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + fibRgFcLcbBlob, each length-checked.</summary>
        public static bool TryParse(byte[] word, out Fib fib, out (CoverageKind Kind, string Message) problem)
        {
            fib = default;
            problem = default;
            var w = word.AsSpan();
            if (w.Length < 34 || BinaryPrimitives.ReadUInt16LittleEndian(w) != WordIdent)
            {
                problem = (CoverageKind.Corrupt, "DOC WordDocument stream has no valid FIB");
                return false;
            }
            ushort nFib = BinaryPrimitives.ReadUInt16LittleEndian(w[2..]);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(w[0x0A..]);
            if ((flags & FlagEncrypted) != 0)
            {
                problem = (CoverageKind.Encrypted, "password-protected DOC document: contents not read");
                return false;
            }
            if (nFib < Word97Fib && nFib != 0x0065 && nFib != 0x0068)
            {
                // 0x65/0x68 are Word 97 betas with the same layout; below that Word 6/95 uses another FIB.
                problem = (CoverageKind.Unsupported, $"Word 6/95 or older document (nFib 0x{nFib:X4}): text not read");
                return false;
            }
            int at = 32;
            int csw = BinaryPrimitives.ReadUInt16LittleEndian(w[at..]);
            at += 2 + 2 * csw;
            if (at + 2 > w.Length) return Short(out problem);
            int cslw = BinaryPrimitives.ReadUInt16LittleEndian(w[at..]);
            int rgLw = at + 2;
            at = rgLw + 4 * cslw;
            if (at + 2 > w.Length) return Short(out problem);
            int cbRgFcLcb = BinaryPrimitives.ReadUInt16LittleEndian(w[at..]);
            int rgFcLcb = at + 2;
            if (rgFcLcb + 8L * cbRgFcLcb > w.Length) return Short(out problem);
            if (cslw <= LwCcpHdrTxbx || cbRgFcLcb <= PairClx) return Short(out problem);
            fib = new Fib(word, (flags & FlagWhichTable) != 0, rgLw, cslw, rgFcLcb, cbRgFcLcb);
            return true;
        }

        private static bool Short(out (CoverageKind, string) problem)
        {
            problem = (CoverageKind.Corrupt, "DOC FIB is truncated or its lengths do not fit the stream");
            return false;
        }
    }

    /// <summary>The CLX and its piece table ([MS-DOC] 2.9.38 Clx, 2.9.178 Pcdt, 2.8.35 PlcPcd, 2.9.177 Pcd, 2.9.73 FcCompressed).</summary>
    internal static class PieceTable
    {
        private static readonly Encoding Cp1252 = Encoding.GetEncoding(1252);

        /// <summary>
        /// Decodes CPs [0, <paramref name="wanted"/>) into one string. Returns what was decoded before any damage,
        /// with <paramref name="damage"/> describing the damage (null when none).
        /// </summary>
        public static string Decode(byte[] word, byte[] table, (uint Fc, uint Lcb) clx, long wanted, out string? damage)
        {
            damage = null;
            if (clx.Lcb == 0 || (long)clx.Fc + clx.Lcb > table.Length)
            {
                damage = "the CLX lies outside the table stream";
                return "";
            }
            var span = table.AsSpan((int)clx.Fc, (int)clx.Lcb);
            int pos = 0;
            // RgPrc: property modifiers for pieces, skipped; then exactly one Pcdt.
            while (pos < span.Length && span[pos] == 0x01)
            {
                if (pos + 3 > span.Length) { damage = "a Prc is truncated"; return ""; }
                int cbGrpprl = BinaryPrimitives.ReadInt16LittleEndian(span[(pos + 1)..]);
                if (cbGrpprl < 0) { damage = "a Prc has a negative length"; return ""; }
                pos += 3 + cbGrpprl;
            }
            if (pos + 5 > span.Length || span[pos] != 0x02) { damage = "no Pcdt"; return ""; }
            uint lcb = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 1)..]);
            pos += 5;
            if (lcb < 16 || lcb > span.Length - pos || (lcb - 4) % 12 != 0) { damage = "the PlcPcd length does not fit"; return ""; }
            var plc = span.Slice(pos, (int)lcb);
            int n = (int)((lcb - 4) / 12);

            var text = new StringBuilder((int)Math.Min(wanted, 1 << 20));
            for (int i = 0; i < n && text.Length < wanted; i++)
            {
                uint cpStart = BinaryPrimitives.ReadUInt32LittleEndian(plc[(4 * i)..]);
                uint cpEnd = BinaryPrimitives.ReadUInt32LittleEndian(plc[(4 * (i + 1))..]);
                if (cpStart != text.Length || cpEnd < cpStart) { damage = $"piece {i + 1} does not follow the previous one"; break; }
                long count = Math.Min(cpEnd - cpStart, wanted - text.Length);
                uint fc = BinaryPrimitives.ReadUInt32LittleEndian(plc[(4 * (n + 1) + 8 * i + 2)..]);
                bool compressed = (fc & 0x40000000) != 0;
                long offset = compressed ? (fc & 0x3FFFFFFF) / 2 : fc & 0x3FFFFFFF;
                long bytes = compressed ? count : 2 * count;
                if (offset + bytes > word.Length) { damage = $"piece {i + 1} points past the end of the WordDocument stream"; break; }
                var raw = word.AsSpan((int)offset, (int)bytes);
                text.Append(compressed ? Cp1252.GetString(raw) : Encoding.Unicode.GetString(raw));
            }
            return text.ToString();
        }
    }
}
