using System.Text;
using SecScan.Core.Documents;
using SecScan.Core.Findings;

namespace SecScan.Tests.Coordinates;

/// <summary>
/// DOMAIN.md §4 (D7–D11) true positives and look-alikes, and §9 T10–T15, T21–T23, with the score
/// breakdown each must show. The YAML examples in coordinates.yaml cover the remaining variants.
/// </summary>
public class SurveyDetectorTests
{
    private static Finding? Top(Verdict v, string rule) =>
        v.Findings.Where(f => f.Rule == rule).OrderByDescending(f => f.Confidence).FirstOrDefault();

    private static Finding Must(Verdict v, string rule) =>
        Top(v, rule) ?? throw new Xunit.Sdk.XunitException($"no {rule} finding:\n{TestEngine.Explain(v)}");

    private static bool Has(Finding f, string reason) => f.Score.Any(s => s.Reason.Contains(reason, StringComparison.Ordinal));

    private static string Rows(params string[] rows) => string.Join("\n", rows);

    private static readonly string[] GnssRows =
    [
        "GP01 D级 4419437.605 39447684.959 45.372",
        "GP02 D级 4421108.214 39452311.870 38.905",
        "GP03 D级 4418002.331 39449876.102 41.220",
        "GP04 D级 4416879.540 39446011.387 43.018",
        "GP05 D级 4420315.077 39450978.615 39.764",
    ];

    [Fact]
    public void T10_gnss_result_table_with_datum_and_meridian_blocks_at_092()
    {
        var v = TestEngine.ScanText(Rows(["GNSS点成果表 CGCS2000 中央子午线117°", "点号 等级 X(m) Y(m) H(m)", .. GnssRows]));
        Assert.Equal(Decision.Block, v.Decision);
        var f = Must(v, "control-point-table");
        Assert.Equal(0.92, f.Confidence, 3);
        Assert.Equal(FindingCategory.Coordinates, f.Category);
        Assert.Contains("疑似涉密测绘成果", f.Explanation, StringComparison.Ordinal);
        Assert.Equal(3, f.Location.Paragraph);
        // Survey-precision values are the secret: centimetres shown, millimetres masked.
        Assert.Equal("X 4419437.60* Y 39447684.95*", f.Evidence);
        // The table is one finding; its rows are not counted again as loose plane pairs.
        Assert.Null(Top(v, "plane-coordinates"));
    }

    [Fact]
    public void T11_three_projected_rows_without_header_review_at_070()
    {
        var v = TestEngine.ScanText(Rows("4419437.605 447684.959", "4421108.214 452311.870", "4418002.331 449876.102"));
        var f = Must(v, "plane-coordinates");
        Assert.Equal(0.70, f.Confidence, 3);
        Assert.Equal(Decision.Review, v.Decision);
        Assert.Null(Top(v, "control-point-table"));
    }

    [Fact]
    public void T12_news_coordinates_allow_as_information()
    {
        var v = TestEngine.ScanText("项目位于东经116.39°、北纬39.91°，距市中心约20公里。");
        Assert.Equal(Decision.Allow, v.Decision);
        var f = Must(v, "geo-coordinates");
        Assert.Equal(0.20, f.Confidence, 3);
        Assert.True(Has(f, "prose"), TestEngine.Explain(v));
    }

    [Fact]
    public void T13_seven_parameters_between_datums_block()
    {
        var v = TestEngine.ScanText("北京54转2000七参数 ΔX=-12.3456m ΔY=130.2345m ΔZ=45.6789m εX=1.2345″ εY=-0.5678″ εZ=2.3456″ m=3.4567ppm");
        var f = Must(v, "transformation-parameters");
        Assert.Equal(0.90, f.Confidence, 3);
        Assert.Equal(Decision.Block, v.Decision);
        Assert.Equal("ΔX=-12.3***m", f.Evidence);
        Assert.True(Has(f, "7 numeric transformation parameters"), TestEngine.Explain(v));
    }

    [Fact]
    public void T14_textbook_bursa_formula_without_numbers_allows()
    {
        var v = TestEngine.ScanText("布尔莎七参数模型：X2 = ΔX + (1+m)·X1 + εZ·Y1 − εY·Z1，其中ΔX、ΔY、ΔZ为平移参数，εX、εY、εZ为旋转参数，m为尺度参数。");
        Assert.Equal(Decision.Allow, v.Decision);
        Assert.Null(Top(v, "transformation-parameters"));
    }

    [Fact]
    public void T15_proj_string_in_code_is_capped_at_review_055()
    {
        var v = TestEngine.ScanText("```\nproj = \"+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=500000 +y_0=0 +ellps=krass +towgs84=15.8,-154.4,-82.3,0,0,0,0 +units=m +no_defs\"\n```");
        var f = Must(v, "transformation-parameters");
        Assert.Equal(0.55, f.Confidence, 3);
        Assert.Equal(Decision.Review, v.Decision);
    }

    [Fact]
    public void T21_mining_right_notice_with_eight_boundary_points_is_capped_at_review()
    {
        var rows = new List<string> { "采矿权出让公告", "矿区范围由以下8个拐点圈定（2000国家大地坐标系）：", "拐点编号 X坐标 Y坐标" };
        for (int i = 0; i < 8; i++) rows.Add($"{i + 1} {4419437.605 + i * 123.41:0.000} {39447684.959 + i * 87.13:0.000}");
        var v = TestEngine.ScanText(Rows([.. rows]));
        Assert.Equal(Decision.Review, v.Decision);
        Assert.All(v.Findings.Where(f => f.Category == FindingCategory.Coordinates), f => Assert.True(f.Confidence <= 0.65));
        var f = v.Findings.Where(f => f.Category == FindingCategory.Coordinates).OrderByDescending(f => f.Confidence).First();
        Assert.Equal(0.65, f.Confidence, 3);
        Assert.True(Has(f, "published boundary"), TestEngine.Explain(v));
    }

    [Fact]
    public void T22_small_engineering_map_outside_military_zone_is_info()
    {
        var v = TestEngine.ScanText("1:500地形图 约2.3平方公里 (非军事禁区)");
        Assert.Equal(Decision.Allow, v.Decision);
        Assert.Null(Top(v, "sensitive-geo-content"));
    }

    [Fact]
    public void T23_fine_contour_dem_delivery_reviews()
    {
        var v = TestEngine.ScanText("等高距10米 1:1万 DEM成果 交付\n格网间距 5m\n102.35 102.41 102.58 102.77");
        var f = Must(v, "survey-products");
        Assert.Equal(0.65, f.Confidence, 3);
        Assert.Equal(Decision.Review, v.Decision);
    }

    // ---- D7 -------------------------------------------------------------------------------------------

    [Fact]
    public void D7_twenty_five_dms_rows_under_gnss_title_block_through_the_table_rule()
    {
        var rows = new List<string> { "GNSS点成果表 (CGCS2000)" };
        for (int i = 0; i < 25; i++) rows.Add($"P{i + 1:00} 39°54′{10 + i:00}.0012″ 116°23′{17 + i:00}.5034″");
        var v = TestEngine.ScanText(Rows([.. rows]));
        Assert.Equal(Decision.Block, v.Decision);
        var f = Must(v, "control-point-table");
        Assert.Equal("39°54′10.00** 116°23′17.50**", f.Evidence.Replace("″", "", StringComparison.Ordinal));
    }

    [Fact]
    public void D7_every_symbol_variant_is_folded()
    {
        // ° º ˚ 度 / ′ ' ’ ´ ` 分 / ″ " ” 〃 '' ′′ 秒: each form reads as the same DMS point.
        string[] forms =
        [
            "39°54′27.03″N, 116°23′17.52″E", "39º54'27.03\"N, 116º23'17.52\"E", "39˚54’27.03”N, 116˚23’17.52”E",
            "39°54´27.03〃N, 116°23´17.52〃E", "39°54`27.03''N, 116°23`17.52''E", "39°54′27.03′′N, 116°23′17.52′′E",
            "北纬39度54分27.03秒，东经116度23分17.52秒",
        ];
        foreach (var form in forms)
        {
            var v = TestEngine.ScanText(form);
            var f = Must(v, "geo-coordinates");
            Assert.True(f.Score[0].Reason.Contains("1 point", StringComparison.Ordinal), form + "\n" + TestEngine.Explain(v));
            Assert.Contains("27.03", f.Evidence, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void D7_degree_minute_form_reads_its_precision_from_the_minute_decimals()
    {
        var v = TestEngine.ScanText("N39°54.4512′ E116°23.2916′\nN39°55.0123′ E116°24.1012′\nN39°53.2101′ E116°22.0967′\n北京54");
        var f = Must(v, "geo-coordinates");
        Assert.Equal(0.85, f.Confidence, 3);
        Assert.Equal("N39°54.4512′ E116°23.2916′", f.Evidence);
    }

    [Fact]
    public void D7_datum_cue_with_three_hp_points_blocks_and_public_service_label_lowers()
    {
        var pts = Rows("39.9075123,116.3881945", "39.9081234,116.3912345", "39.9090123,116.3950123");
        var datum = TestEngine.ScanText("WGS-84\n" + pts);
        Assert.Equal(0.85, Must(datum, "geo-coordinates").Confidence, 3);
        var shop = TestEngine.ScanText("门店坐标（高德地图 GCJ-02）\n" + pts);
        var f = Must(shop, "geo-coordinates");
        Assert.True(Has(f, "public map-service"), TestEngine.Explain(shop));
        Assert.Equal(Decision.Allow, shop.Decision);
    }

    [Fact]
    public void D7_look_alikes_are_not_coordinates()
    {
        foreach (var text in new[] { "版本 3.116.388194 已发布", "v1.116.38", "服务器 116.39.91.39", "售价 ¥116.388", "日期 2024.05.01 116.388", "北京位于北纬39°56′、东经116°20′" })
        {
            var v = TestEngine.ScanText(text);
            Assert.True(v.Decision == Decision.Allow, text + "\n" + TestEngine.Explain(v));
        }
        Assert.Null(Top(TestEngine.ScanText("版本 3.116.388194 已发布"), "geo-coordinates"));
    }

    [Fact]
    public void D7_point_beside_military_words_reviews_at_070()
    {
        var v = TestEngine.ScanText("靶场位于北纬39°54′27″、东经116°23′17″。");
        var f = Must(v, "geo-coordinates");
        Assert.Equal(0.70, f.Confidence, 3);
        Assert.Equal(0.75, Must(v, "sensitive-geo-content").Confidence, 3);
    }

    [Fact]
    public void D7_unlabelled_pair_outside_china_is_not_a_point()
    {
        var v = TestEngine.ScanText("2.3522190,48.8566140\n2.3522191,48.8566141");
        Assert.Null(Top(v, "geo-coordinates"));
    }

    // ---- D8 -------------------------------------------------------------------------------------------

    [Fact]
    public void D8_currency_phone_and_serial_look_alikes_allow()
    {
        foreach (var text in new[] { "合同金额 4419437.60 元", "电话 13947768495", "2023 4419437", "合计 ¥4419437.60 447684.96" })
        {
            var v = TestEngine.ScanText(text);
            Assert.True(Top(v, "plane-coordinates") is null, text + "\n" + TestEngine.Explain(v));
        }
    }

    [Fact]
    public void D8_amount_columns_of_a_csv_statement_are_not_plane_pairs()
    {
        var v = TestEngine.ScanText(Rows("项目,本期金额(元),上期金额(元)", "营业收入,3456789.12,456789.01", "营业成本,2345678.90,345678.12", "管理费用,1345678.90,245678.12"));
        Assert.DoesNotContain(v.Findings, f => f.Rule == "plane-coordinates");
        var csv = TestEngine.ScanBytes("statement.csv", System.Text.Encoding.UTF8.GetBytes("项目,本期,上期\n营业收入,3456789.12,456789.01\n合计,2345678.90,345678.12\n"));
        Assert.DoesNotContain(csv.Findings, f => f.Rule == "plane-coordinates" && f.Line == 3);
    }

    [Fact]
    public void D8_ten_zone_prefixed_rows_without_header_block()
    {
        var v = TestEngine.ScanText(Rows([.. Enumerable.Range(0, 10).Select(i => $"GP{i + 1:00}  {4419437.605 + i * 37.1:0.000}  {39447684.959 + i * 21.7:0.000}  45.372")]));
        Assert.Equal(0.90, Must(v, "plane-coordinates").Confidence, 3);
        Assert.Equal(Decision.Block, v.Decision);
    }

    [Fact]
    public void D8_cass_export_blocks_with_its_cue_and_reviews_without()
    {
        var rows = Enumerable.Range(0, 1000).Select(i => $"{i + 1},,{522994.430 + i * 1.7:0.000},{3388020.940 + i * 2.3:0.000},{17.870 + i % 7 * 0.1:0.000}").ToArray();
        Assert.Equal(0.70, Must(TestEngine.ScanText(Rows(rows)), "plane-coordinates").Confidence, 3);
        Assert.Equal(0.90, Must(TestEngine.ScanText(Rows(["CASS 高程点数据 (.dat)", .. rows])), "plane-coordinates").Confidence, 3);
    }

    [Fact]
    public void D8_single_pair_in_prose_reviews_at_055()
    {
        var v = TestEngine.ScanText("桩号K12+300 坐标X=3388020.940, Y=522994.430，请施工单位复核。");
        Assert.Equal(0.55, Must(v, "plane-coordinates").Confidence, 3);
    }

    [Fact]
    public void D8_zone_prefixed_rows_block_and_a_y_outside_its_3_degree_zone_lowers()
    {
        var ok = TestEngine.ScanText(Rows("4419437.605 39447684.959", "4421108.214 39452311.870", "4418002.331 39449876.102"));
        Assert.Equal(0.90, Must(ok, "plane-coordinates").Confidence, 3);
        var odd = TestEngine.ScanText(Rows("4419437.605 39247684.959", "4421108.214 39252311.870", "4418002.331 39249876.102"));
        var f = Must(odd, "plane-coordinates");
        Assert.Equal(0.70, f.Confidence, 3);
        Assert.True(Has(f, "3° zone"), TestEngine.Explain(odd));
    }

    // ---- D9 -------------------------------------------------------------------------------------------

    [Fact]
    public void D9_national_order_raises_and_processed_data_lowers()
    {
        var national = TestEngine.ScanText(Rows(["水准点成果表 一等", "点号 X(m) Y(m)", .. GnssRows[..3]]));
        var f = Must(national, "control-point-table");
        Assert.Equal(0.97, f.Confidence, 3);
        Assert.Equal([0.92, 0.05], f.Score.Select(s => s.Delta));

        var published = TestEngine.ScanText(Rows(["GNSS点成果表（经保密技术处理）", "点号 X(m) Y(m)", .. GnssRows[..3]]));
        Assert.Equal(0.67, Must(published, "control-point-table").Confidence, 3);
        Assert.Equal(Decision.Review, published.Decision);
    }

    [Fact]
    public void D9_textbook_with_one_sample_row_reviews_and_placeholders_allow()
    {
        var one = TestEngine.ScanText(Rows("控制点成果表的格式如下：", "点名 点号 X(m) Y(m)", "小营 GP01 4419437.605 39447684.959"));
        Assert.Equal(0.65, Must(one, "control-point-table").Confidence, 3);
        var placeholders = TestEngine.ScanText(Rows("控制点成果表的格式如下：", "点名 点号 X(m) Y(m)", "小营 GP01 xxxxxxx.xxx xxxxxxxx.xxx"));
        Assert.Equal(Decision.Allow, placeholders.Decision);
    }

    [Fact]
    public void D9_a_track_with_only_latitude_longitude_headers_is_not_a_survey_table()
    {
        var rows = new List<string> { "巡检轨迹", "时间,经度,纬度,高程" };
        for (int i = 0; i < 12; i++) rows.Add($"08:{i:00}:00,{116.3881945 + i * 0.0000731:0.0000000},{39.9075123 + i * 0.0000412:0.0000000},45.2");
        var v = TestEngine.ScanText(Rows([.. rows]));
        Assert.Null(Top(v, "control-point-table"));
        Assert.Equal(0.60, Must(v, "geo-coordinates").Confidence, 3);
    }

    // ---- D10, D11 ---------------------------------------------------------------------------------------

    [Fact]
    public void D10_statement_that_datums_agree_is_no_finding()
    {
        var v = TestEngine.ScanText("WGS84与CGCS2000在厘米级精度内可视为一致。");
        // Keyword context (CGCS2000 is a K5 term) may leave an informational finding; no survey finding.
        Assert.DoesNotContain(v.Findings, f => f.Category == FindingCategory.Coordinates);
        Assert.Equal(Decision.Allow, v.Decision);
    }

    [Fact]
    public void D11_gravity_grid_at_five_minutes_blocks()
    {
        var rows = new List<string> { "全国重力异常格网成果 分辨率5′×5′ 单位mGal" };
        for (int i = 0; i < 4; i++) rows.Add(string.Join(" ", Enumerable.Range(0, 5).Select(k => $"{12.31 + i * 0.7 + k * 0.13:0.00}")));
        var v = TestEngine.ScanText(Rows([.. rows]));
        Assert.Equal(0.85, Must(v, "survey-products").Confidence, 3);
    }

    [Fact]
    public void D11_map_sheets_need_five_at_large_scale()
    {
        Assert.Null(Top(TestEngine.ScanText("见J50G001001图幅。"), "survey-products"));
        var v = TestEngine.ScanText("J50H001001、J50H001002、J50H001003、J50H002001、J50H002002");
        Assert.Equal(0.70, Must(v, "survey-products").Confidence, 3);
    }

    [Fact]
    public void D11b_two_term_groups_with_coordinates_block()
    {
        var v = TestEngine.ScanText("军用机场及弹药库坐标：东经116°23′17.5″，北纬39°54′27.3″，附近航道水深12.5米。");
        Assert.Equal(0.85, Must(v, "sensitive-geo-content").Confidence, 3);
        Assert.Equal(Decision.Block, v.Decision);
    }

    // ---- bounds -----------------------------------------------------------------------------------------

    [Fact]
    public void A_megabyte_line_of_digits_dots_and_degree_signs_finishes_with_no_timeout_or_error()
    {
        var sb = new StringBuilder(1 << 20);
        var pieces = new[] { "1.1°", "12.", "123456.", "39°54′27.", "116.38819", "″′°", "4419437.605 ", "9", "." };
        for (int i = 0; sb.Length < 1 << 20; i++) sb.Append(pieces[i % pieces.Length]);
        var v = TestEngine.ScanBytes("long-line.txt", Encoding.UTF8.GetBytes(sb.ToString()));
        Assert.DoesNotContain(v.Coverage.Notes, n => n.Kind is CoverageKind.TimedOut or CoverageKind.Error);

        var digits = TestEngine.ScanBytes("digits.txt", Encoding.UTF8.GetBytes(new string('7', 1 << 20) + "." + new string('3', 1000) + "°"));
        Assert.DoesNotContain(digits.Coverage.Notes, n => n.Kind is CoverageKind.TimedOut or CoverageKind.Error);
    }
}
