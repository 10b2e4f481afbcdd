using SecScan.Core.Detection;
using SecScan.Core.Documents;
using SecScan.Core.Text;

namespace SecScan.Tests.Detection;

/// <summary>The row model: table cells by Table/Row, PDF segments by baseline, text lines split into columns.</summary>
public class TableRowsTests
{
    private static NormalizedText Normalize(params TextSegment[] segments) =>
        TestEngine.Shared.Ruleset.Normalizer.Normalize(segments);

    private static string[] CellTexts(NormalizedText t, TableRow row) =>
        [.. row.Cells.Select(c => t.Text[c.Start..c.End])];

    [Fact]
    public void Table_cells_group_by_row_and_table()
    {
        var at = new Location { Container = "a.docx" };
        var t = Normalize(
            new TextSegment("标题", at with { Paragraph = 1 }),
            new TextSegment("点号", at with { Table = 1, Row = 1, Column = 1 }),
            new TextSegment("X(m)", at with { Table = 1, Row = 1, Column = 2 }),
            new TextSegment("GP01", at with { Table = 1, Row = 2, Column = 1 }),
            new TextSegment("4419437.605", at with { Table = 1, Row = 2, Column = 2 }),
            new TextSegment("其他", at with { Table = 2, Row = 1, Column = 1 }));
        var rows = TableRows.Build(t);
        Assert.Equal(4, rows.Count);
        Assert.Equal(RowSource.Line, rows[0].Source);
        Assert.Equal(["GP01", "4419437.605"], CellTexts(t, rows[2]));
        Assert.Equal(rows[1].Group, rows[2].Group);
        Assert.NotEqual(rows[2].Group, rows[3].Group);
        Assert.All(rows.Skip(1), r => Assert.True(r.IsStructured));
    }

    [Fact]
    public void Pdf_segments_on_one_baseline_form_one_row()
    {
        var at = new Location { Container = "a.pdf", Page = 1 };
        var t = Normalize(
            new TextSegment("小营", at with { Paragraph = 1, TopFraction = 0.300 }),
            new TextSegment("4419437.605", at with { Paragraph = 2, TopFraction = 0.301 }),
            new TextSegment("东坝", at with { Paragraph = 3, TopFraction = 0.320 }));
        var rows = TableRows.Build(t);
        Assert.Equal(2, rows.Count);
        Assert.Equal(RowSource.PageLine, rows[0].Source);
        Assert.Equal(["小营", "4419437.605"], CellTexts(t, rows[0]));
    }

    [Fact]
    public void Text_lines_split_at_delimiters_or_spaces()
    {
        var t = Normalize(new TextSegment("time,lng,lat\n08:00,116.38,39.90\nGP01 4419437.605 447684.959\n\n", new Location { Container = "a.txt" }));
        var rows = TableRows.Build(t);
        Assert.Equal(3, rows.Count);
        Assert.Equal(RowSource.Delimited, rows[1].Source);
        Assert.Equal(["08:00", "116.38", "39.90"], CellTexts(t, rows[1]));
        Assert.Equal(RowSource.Line, rows[2].Source);
        Assert.Equal(3, rows[2].Cells.Count);
    }

    [Fact]
    public void A_row_keeps_at_most_max_cells()
    {
        var t = Normalize(new TextSegment(string.Join(",", Enumerable.Range(0, 500)), new Location { Container = "a.csv" }));
        var row = Assert.Single(TableRows.Build(t));
        Assert.Equal(TableRows.MaxCells, row.Cells.Count);
        Assert.EndsWith("499", t.Text[row.Cells[^1].Start..row.Cells[^1].End], StringComparison.Ordinal);
    }
}
