using SecScan.Core.Text;

namespace SecScan.Core.Detection;

/// <summary>
/// One row of a document as table-aware detectors read it: a row of a real table (all its cells), or
/// one line of any other text (a plain-text table row, a CSV line). Offsets are into the normalized text.
/// </summary>
/// <param name="Start">Normalized offset of the row's first character.</param>
/// <param name="End">Normalized offset just past its last character.</param>
/// <param name="Table">The table's identity (container, part, table number) for real tables; null for lines.</param>
/// <param name="Index">0-based row number inside its table, or inside its run of consecutive lines.</param>
/// <param name="Cells">Normalized (start, end) of each cell, with its 1-based column; one whole-row cell for lines.</param>
public sealed record TextRow(int Start, int End, string? Table, int Index, IReadOnlyList<(int Column, int Start, int End)> Cells)
{
    /// <summary>True when the row contains <paramref name="offset"/>.</summary>
    public bool Contains(int offset) => offset >= Start && offset < End;
}

/// <summary>
/// Groups a normalized text into rows: cells of one table row (same container, part and table, same
/// row number) become one row; every other segment contributes one row per line. Computed once per
/// document through <see cref="DetectionInput.Rows"/>.
/// </summary>
/// <remarks>
/// A small row model for the PII detectors; the survey detectors are writing a fuller table model in
/// parallel, and the two are to be folded into one.
/// </remarks>
public static class TextRows
{
    public static IReadOnlyList<TextRow> Of(NormalizedText text)
    {
        var rows = new List<TextRow>();
        string? currentKey = null;
        int currentRow = -1, rowStart = 0, rowEnd = 0;
        var cells = new List<(int, int, int)>();
        var tableRowIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineRun = 0;

        void Flush()
        {
            if (currentKey is null) return;
            int idx = tableRowIndex.TryGetValue(currentKey, out var n) ? n : 0;
            tableRowIndex[currentKey] = idx + 1;
            rows.Add(new TextRow(rowStart, rowEnd, currentKey, idx, [.. cells]));
            currentKey = null;
            cells.Clear();
        }

        for (int i = 0; i < text.Segments.Count; i++)
        {
            var loc = text.Segments[i].Location;
            int s = text.SegmentStart(i), e = text.SegmentEnd(i);
            if (loc is { Table: { } table, Row: { } row })
            {
                var key = $"{loc.Container}\u001F{loc.Part}\u001F{loc.PartName}\u001F{table}";
                if (key != currentKey || row != currentRow)
                {
                    Flush();
                    currentKey = key;
                    currentRow = row;
                    rowStart = s;
                }
                rowEnd = e;
                cells.Add((loc.Column ?? cells.Count + 1, s, e));
                lineRun = 0;
                continue;
            }
            Flush();
            int ls = s;
            while (ls <= e)
            {
                int le = text.Text.IndexOf('\n', ls, e - ls);
                if (le < 0) le = e;
                if (le > ls)
                {
                    rows.Add(new TextRow(ls, le, null, lineRun++, [(1, ls, le)]));
                }
                else lineRun = 0;
                ls = le + 1;
            }
        }
        Flush();
        return rows;
    }
}
