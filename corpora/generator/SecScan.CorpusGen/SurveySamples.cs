using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace SecScan.CorpusGen;

/// <summary>
/// The DOCX survey sample (DOMAIN.md §4, D9): a GNSS点成果表 as a real Word table whose coordinates come from a
/// Gauss-Krüger projection on the CGCS2000 ellipsoid (3° zone 39, central meridian 117°). The same math as
/// corpora/tools/make-survey-samples.py; it reproduces the worked example of DOMAIN.md §4.2 to the millimetre.
/// </summary>
internal static class SurveySamples
{
    private const double A = 6378137.0;
    private const double F = 1 / 298.257222101;
    private const double E2 = F * (2 - F);
    private const double Ep2 = E2 / (1 - E2);

    public static IEnumerable<(string File, Action<string> Write)> All() =>
    [
        ("docx-gnss-control-points.docx", GnssControlPoints),
    ];

    /// <summary>Northing X and easting Y (with the 500 km false easting, without the zone) in metres.</summary>
    public static (double X, double Y) GaussKruger(double lat, double lon, double l0)
    {
        double b = lat * Math.PI / 180, l = (lon - l0) * Math.PI / 180;
        double n = A / Math.Sqrt(1 - E2 * Math.Pow(Math.Sin(b), 2));
        double t = Math.Tan(b), c = Math.Cos(b), h2 = Ep2 * c * c, l2 = l * l;
        double x = MeridianArc(b) + n * t * c * c * l2 / 2 * (1 + (5 - t * t + 9 * h2 + 4 * h2 * h2) * c * c * l2 / 12
            + (61 - 58 * t * t + Math.Pow(t, 4)) * Math.Pow(c, 4) * l2 * l2 / 360);
        double y = n * c * l * (1 + (1 - t * t + h2) * c * c * l2 / 6
            + (5 - 18 * t * t + Math.Pow(t, 4) + 14 * h2 - 58 * h2 * t * t) * Math.Pow(c, 4) * l2 * l2 / 120);
        return (x, 500_000 + y);
    }

    /// <summary>Meridian arc from the equator to latitude <paramref name="b"/> (radians), by Simpson's rule.</summary>
    private static double MeridianArc(double b, int steps = 2000)
    {
        double h = b / steps, sum = 0;
        for (int i = 0; i <= steps; i++)
        {
            int w = i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2;
            sum += w * A * (1 - E2) / Math.Pow(1 - E2 * Math.Pow(Math.Sin(i * h), 2), 1.5);
        }
        return sum * h / 3;
    }

    private static string Dms(double value)
    {
        int d = (int)value, m = (int)((value - d) * 60);
        double s = Math.Round((value - d - m / 60.0) * 3600, 4);
        return string.Create(CultureInfo.InvariantCulture, $"{d}°{m:00}′{s:00.0000}″");
    }

    private static void GnssControlPoints(string path)
    {
        using var doc = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var body = new Body();
        doc.AddMainDocumentPart().Document = new Document(body);
        doc.PackageProperties.Creator = "测绘院";
        doc.PackageProperties.Created = new DateTime(2024, 3, 15, 9, 0, 0, DateTimeKind.Utc);

        body.Append(Para("XX新区基础控制网测量技术总结（附表）"));
        body.Append(Para("本次共布设D级GNSS控制点6个，采用静态相对定位模式观测，基线解算与网平差均满足规范要求。"));
        body.Append(Para("附表1  GNSS点成果表"));
        body.Append(Para("坐标系统：2000国家大地坐标系  投影：高斯-克吕格3度带  中央子午线：117°  高程基准：1985国家高程基准"));

        var table = new Table(new TableProperties(new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
            new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 })));
        table.Append(Row("点名", "点号", "等级", "X(m)", "Y(m)", "大地高H(m)", "纬度B", "经度L", "标石类型"));
        var rng = new Random(20240315);
        string[] names = ["南苑", "旧宫", "亦庄", "马驹桥", "台湖", "张家湾"];
        for (int i = 0; i < names.Length; i++)
        {
            double lat = 39.78 + rng.NextDouble() * 0.08, lon = 116.42 + rng.NextDouble() * 0.20;
            var (x, y) = GaussKruger(lat, lon, 117);
            table.Append(Row(names[i], $"GN{i + 1:00}", "D级",
                x.ToString("0.000", CultureInfo.InvariantCulture), (39_000_000 + y).ToString("0.000", CultureInfo.InvariantCulture),
                (30 + rng.NextDouble() * 20).ToString("0.000", CultureInfo.InvariantCulture), Dms(lat), Dms(lon), "混凝土普通标石"));
        }
        body.Append(table);
        body.Append(Para("注：本表成果仅供本工程使用，不得擅自复制和对外提供。"));
    }

    private static Paragraph Para(string text) => new(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));

    private static TableRow Row(params string[] cells) => new(cells.Select(c => new TableCell(Para(c))));
}
