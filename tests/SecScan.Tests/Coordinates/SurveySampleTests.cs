using SecScan.Core.Findings;

namespace SecScan.Tests.Coordinates;

/// <summary>The survey samples of corpora/samples (made by real writers), beyond the manifest's decision and location.</summary>
public class SurveySampleTests
{
    private static Finding Top(Verdict v, string rule) =>
        v.Findings.Where(f => f.Rule == rule).OrderByDescending(f => f.Confidence).FirstOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"no {rule} finding:\n{TestEngine.Explain(v)}");

    [Fact]
    public void Word_gnss_table_blocks_at_its_first_data_row_with_masked_evidence()
    {
        var v = TestEngine.ScanFile(TestFiles.Sample(TestFiles.DocxGnssControlPoints));
        var f = Top(v, "control-point-table");
        Assert.Equal(Decision.Block, v.Decision);
        Assert.Equal((1, 2), (f.Location.Table, f.Location.Row));
        Assert.Contains("GNSS点成果表", f.Explanation, StringComparison.Ordinal);
        // DMS to 0.0001″ as written; the evidence keeps two decimals of the seconds.
        Assert.Matches(@"^\d+°\d\d′\d\d\.\d\d\*\*″ \d+°\d\d′\d\d\.\d\d\*\*″$", f.Evidence);
        Assert.DoesNotContain(v.Findings, x => x.Rule is "plane-coordinates" or "geo-coordinates");
    }

    [Fact]
    public void Pdf_control_point_table_is_read_row_by_row_from_the_page()
    {
        var v = TestEngine.ScanFile(TestFiles.Sample(TestFiles.PdfControlPointTable));
        var f = Top(v, "control-point-table");
        Assert.Equal(0.92, f.Confidence, 3);
        Assert.Contains("7 row(s)", f.Explanation, StringComparison.Ordinal);
        Assert.Equal(1, f.Location.Page);
    }

    [Fact]
    public void Inspection_track_is_one_review_finding_counting_all_points()
    {
        var v = TestEngine.ScanFile(TestFiles.Sample(TestFiles.CsvInspectionTrack));
        var f = Assert.Single(v.Findings);
        Assert.Equal("geo-coordinates", f.Rule);
        Assert.Equal(0.60, f.Confidence, 3);
        Assert.StartsWith("500 latitude/longitude point(s)", f.Explanation, StringComparison.Ordinal);
        Assert.Equal(Decision.Review, v.Decision);
    }

    [Fact]
    public void News_article_allows_with_an_informational_finding()
    {
        var v = TestEngine.ScanFile(TestFiles.Sample(TestFiles.TxtNewsCoordinates));
        Assert.Equal(Decision.Allow, v.Decision);
        Assert.Equal(0.20, Top(v, "geo-coordinates").Confidence, 3);
    }

    [Fact]
    public void Mining_right_notice_boundary_table_is_capped_at_review()
    {
        var v = TestEngine.ScanFile(TestFiles.Sample(TestFiles.TxtMiningRightNotice));
        Assert.Equal(Decision.Review, v.Decision);
        var f = Top(v, "control-point-table");
        Assert.Equal(0.65, f.Confidence, 3);
        Assert.Contains(f.Score, s => s.Reason.Contains("拐点", StringComparison.Ordinal) && s.Delta < 0);
    }

    [Fact]
    public void Seven_parameter_sheet_blocks_with_masked_parameters()
    {
        var v = TestEngine.ScanFile(TestFiles.Sample(TestFiles.TxtSevenParameters));
        var f = Top(v, "transformation-parameters");
        Assert.Equal(0.90, f.Confidence, 3);
        Assert.Equal("ΔX = -35.1*** m", f.Evidence);
    }
}
