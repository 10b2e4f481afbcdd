using System.Diagnostics;
using System.Globalization;
using SecScan.Extraction.Pdf;
using UglyToad.PdfPig;

namespace SecScan.Benchmarks;

/// <summary>
/// Diagnostic mode (<c>--pdf-breakdown DIR</c>): per file, pages/s of PdfPig alone (open, then every
/// page's letters), of the text layer alone (open, then every page through <see cref="PdfTextLayer"/>, with the
/// number of pages it leaves to PdfPig), of the line builder alone (on the layer's glyphs) and of the whole extractor, to tell the parser's time from ours.
/// Warm-up pass first.
/// </summary>
internal static class PdfBreakdown
{
    public static int Run(string directory)
    {
        var files = BenchData.Files(directory, "*.pdf");
        var extractor = SecScan.Extraction.DocumentExtractor.CreateDefault();
        for (int round = 0; round < 2; round++)
        {
            foreach (var f in files)
            {
                var clock = Stopwatch.StartNew();
                int pages, letters = 0;
                using (var doc = PdfDocument.Open(f))
                {
                    pages = doc.NumberOfPages;
                    for (int p = 1; p <= pages; p++) letters += doc.GetPage(p).Letters.Count;
                }
                double pdfPig = clock.Elapsed.TotalSeconds;
                clock.Restart();
                int leftToPdfPig = 0;
                using (var doc = PdfDocument.Open(File.ReadAllBytes(f)))
                {
                    doc.AddPageFactory(new PdfTextLayer(doc.Structure.TokenScanner, doc.Structure.FilterProvider));
                    for (int p = 1; p <= pages; p++)
                        if (doc.GetPage<PdfTextPage>(p).Unsupported is not null) leftToPdfPig++;
                }
                double layer = clock.Elapsed.TotalSeconds;
                clock.Restart();
                var bytes = File.ReadAllBytes(f);
                var pageGlyphs = new List<(List<PdfGlyph> Glyphs, double Top, double Height)>();
                using (var doc = PdfDocument.Open(bytes))
                {
                    doc.AddPageFactory(new PdfTextLayer(doc.Structure.TokenScanner, doc.Structure.FilterProvider));
                    for (int p = 1; p <= pages; p++)
                    {
                        var page = doc.GetPage<PdfTextPage>(p);
                        pageGlyphs.Add(([.. page.Glyphs], page.Top, page.Height));
                    }
                }
                // Many rounds: one round is too short for the JIT to have optimised the builder, which the extractor's
                // own loop does after a few documents.
                const int LineRounds = 50;
                clock.Restart();
                for (int r = 0; r < LineRounds; r++)
                    foreach (var (glyphs, top, height) in pageGlyphs) PdfLineBuilder.Build(glyphs, top, height);
                double lines = clock.Elapsed.TotalSeconds / LineRounds;
                clock.Restart();
                extractor.Extract(SecScan.Core.Documents.ScanSource.FromFile(f), SecScan.Core.Documents.ScanLimits.Default, CancellationToken.None);
                double full = clock.Elapsed.TotalSeconds;
                if (round == 1)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Path.GetFileName(f),-16} {pages,4} pages {letters,8} letters  PdfPig letters {pages / pdfPig,7:F1} pages/s  text layer {pages / layer,7:F1} pages/s ({leftToPdfPig} left to PdfPig)  line builder {pages / lines,8:F1} pages/s  extractor {pages / full,7:F1} pages/s"));
            }
        }
        return 0;
    }
}
