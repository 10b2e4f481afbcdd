using SecScan.Core.Documents;
using SecScan.Core.Text;

namespace SecScan.Core.Detection;

/// <summary>Where a row came from, which says how far its columns can be trusted.</summary>
public enum RowSource
{
    /// <summary>A real table row: DOCX/XLSX cells carrying Table/Sheet, Row and Column.</summary>
    TableCells,

    /// <summary>Segments drawn side by side on one baseline of a fixed-layout page (a PDF table row).</summary>
    PageLine,

    /// <summary>A line of a text segment split at tabs, commas or semicolons (CSV/TSV, exported point files).</summary>
    Delimited,

    /// <summary>A line of a text segment split at spaces (aligned columns, or prose).</summary>
    Line,
}

/// <summary>
/// A cell of a row: a span of the normalized text (never crossing a line), and its 1-based column — the
/// document's own (a DOCX/XLSX cell's Column) for table cells, else its place in the row.
/// </summary>
public readonly record struct RowCell(int Start, int End, int Column)
{
    public int Length => End - Start;
}

/// <summary>
/// One row of structured text: its cells as spans of <see cref="NormalizedText.Text"/>, and the group
/// (table, or run of consecutive lines) it belongs to. Rows of one group are consecutive in the list.
/// </summary>
public sealed class TableRow
{
    internal TableRow(RowSource source, int group, int index, int start, int end, RowCell[] cells)
    {
        Source = source;
        Group = group;
        Index = index;
        Start = start;
        End = end;
        Cells = cells;
    }

    public RowSource Source { get; }

    /// <summary>
    /// Rows with the same group id belong to one table: one DOCX/XLSX table, the lines of one page, or the
    /// lines of one text segment. Detectors narrow a group further (e.g. to runs of rows holding numbers).
    /// </summary>
    public int Group { get; }

    /// <summary>0-based place of the row in its group (the header row of a table is 0).</summary>
    public int Index { get; }

    /// <summary>True when the row contains <paramref name="offset"/>.</summary>
    public bool Contains(int offset) => offset >= Start && offset < End;

    /// <summary>Start of the row's first cell in the normalized text.</summary>
    public int Start { get; }

    /// <summary>End of the row's last cell (exclusive).</summary>
    public int End { get; }

    public IReadOnlyList<RowCell> Cells { get; }

    /// <summary>True for rows whose columns come from the document's structure rather than from splitting a line.</summary>
    public bool IsStructured => Source is RowSource.TableCells or RowSource.PageLine;
}

/// <summary>
/// Groups a document's segments into rows: table cells by their Table/Sheet and Row, PDF segments by
/// their shared baseline, and every other segment line by line, split into columns at tabs, commas or
/// semicolons when it has them, else at spaces. Computed once per document (<see cref="DetectionInput.Rows"/>)
/// and shared by the detectors that read tables (control-point tables, customer lists, personal-data labels).
/// </summary>
/// <remarks>
/// The normalizer collapses runs of spaces and tabs to one space, so column alignment is not visible in
/// <see cref="NormalizedText.Text"/>; a Line row's cells are its space-separated tokens. Work is linear in
/// the text; a row keeps at most <see cref="MaxCells"/> cells (the rest join the last one).
/// </remarks>
public static class TableRows
{
    /// <summary>Cells kept per row; a megabyte line of numbers does not become a million cells.</summary>
    public const int MaxCells = 64;

    /// <summary>PDF segments whose tops differ by less than this fraction of the page height are on one row.</summary>
    private const double SameBaseline = 0.004;

    public static List<TableRow> Build(NormalizedText text, CancellationToken cancellationToken = default)
    {
        var rows = new List<TableRow>();
        var segments = text.Segments;
        int group = -1;
        Location? groupKey = null;
        int i = 0;
        while (i < segments.Count)
        {
            if ((i & 0x3FF) == 0) cancellationToken.ThrowIfCancellationRequested();
            var loc = segments[i].Location;
            if (loc.Row is not null && (loc.Table is not null || loc.Sheet is not null))
            {
                int j = i + 1;
                while (j < segments.Count && SameRow(loc, segments[j].Location)) j++;
                if (groupKey is null || !SameTable(groupKey, loc)) group++;
                groupKey = loc;
                var cells = new List<RowCell>(j - i);
                for (int k = i; k < j; k++) AddCell(cells, text.SegmentStart(k), text.SegmentEnd(k), segments[k].Location.Column);
                AddRow(rows, RowSource.TableCells, group, cells);
                i = j;
            }
            else if (loc is { Page: not null, TopFraction: { } top })
            {
                int j = i + 1;
                while (j < segments.Count && segments[j].Location is { Page: { } p, TopFraction: { } t, Table: null }
                    && p == loc.Page && Math.Abs(t - top) < SameBaseline && segments[j].Location.Part == loc.Part) j++;
                if (groupKey is null || groupKey.Page != loc.Page || groupKey.Table is not null || groupKey.Row is not null) group++;
                groupKey = loc with { Row = null, Table = null };
                var cells = new List<RowCell>(j - i);
                for (int k = i; k < j; k++) AddCell(cells, text.SegmentStart(k), text.SegmentEnd(k), null);
                AddRow(rows, RowSource.PageLine, group, cells);
                i = j;
            }
            else
            {
                // Consecutive paragraphs of one part (a TXT or DOCX line per paragraph) run on as one group,
                // as a list typed line by line is one table; a blank line, or anything else, ends the run.
                bool runsOn = groupKey is { Row: null, Page: null } previous && previous.Container == loc.Container
                    && previous.Part == loc.Part && rows.Count > 0 && rows[^1].Source is RowSource.Line or RowSource.Delimited;
                if (!runsOn) group++;
                groupKey = loc;
                SplitLines(text.Text, text.SegmentStart(i), text.SegmentEnd(i), ref group, rows);
                i++;
            }
        }
        return rows;
    }

    private static bool SameRow(Location a, Location b) =>
        b.Row == a.Row && b.Table == a.Table && b.Sheet == a.Sheet && b.Part == a.Part && b.Container == a.Container && b.PartName == a.PartName;

    private static bool SameTable(Location a, Location b) =>
        b.Table == a.Table && b.Sheet == a.Sheet && b.Part == a.Part && b.Container == a.Container && b.PartName == a.PartName && a.Row is not null;

    private static void SplitLines(string text, int start, int end, ref int group, List<TableRow> rows)
    {
        int ls = start;
        while (ls <= end)
        {
            int nl = text.IndexOf('\n', ls, end - ls);
            int le = nl < 0 ? end : nl;
            var line = text.AsSpan(ls, le - ls);
            if (line.IsWhiteSpace())
            {
                if (rows.Count > 0 && rows[^1].Group == group) group++;   // a blank line ends the run
            }
            else
            {
                bool delimited = line.IndexOfAny('\t', ',', ';') >= 0 || line.IndexOfAny('，', '；') >= 0;
                var cells = new List<RowCell>();
                int cs = ls;
                for (int k = ls; k <= le; k++)
                {
                    bool cut = k == le || (delimited ? text[k] is '\t' or ',' or ';' or '，' or '；' : text[k] == ' ');
                    if (!cut) continue;
                    if (cells.Count == MaxCells - 1) { AddCell(cells, cs, le, null); break; }
                    AddCell(cells, cs, k, null);
                    cs = k + 1;
                }
                AddRow(rows, delimited ? RowSource.Delimited : RowSource.Line, group, cells);
            }
            if (nl < 0) break;
            ls = nl + 1;
        }
    }

    private static void AddCell(List<RowCell> cells, int start, int end, int? column)
    {
        if (end > start) cells.Add(new RowCell(start, end, column ?? cells.Count + 1));
    }

    private static void AddRow(List<TableRow> rows, RowSource source, int group, List<RowCell> cells)
    {
        if (cells.Count == 0) return;
        if (cells.Count > MaxCells)
        {
            var last = new RowCell(cells[MaxCells - 1].Start, cells[^1].End, cells[MaxCells - 1].Column);
            cells.RemoveRange(MaxCells - 1, cells.Count - MaxCells + 1);
            cells.Add(last);
        }
        int index = rows.Count > 0 && rows[^1].Group == group ? rows[^1].Index + 1 : 0;
        rows.Add(new TableRow(source, group, index, cells[0].Start, cells[^1].End, [.. cells]));
    }
}
