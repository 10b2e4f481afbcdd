using System.Diagnostics;
using System.Globalization;
using SecScan.Extraction.Pdf;
using UglyToad.PdfPig;

namespace SecScan.Benchmarks;

/// <summary>
/// Diagnostic mode (<c>--pdf-breakdown DIR</c>): per file, pages/s of PdfPig alone (open, then every
/// page's letters), of the text layer alone (open, then every page through <see cref="PdfTextLayer"/>, with the
/// number of pages it leaves to PdfPig) and of the whole extractor, to tell the parser's time from ours.
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
                extractor.Extract(SecScan.Core.Documents.ScanSource.FromFile(f), SecScan.Core.Documents.ScanLimits.Default, CancellationToken.None);
                double full = clock.Elapsed.TotalSeconds;
                if (round == 1)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Path.GetFileName(f),-16} {pages,4} pages {letters,8} letters  PdfPig letters {pages / pdfPig,7:F1} pages/s  text layer {pages / layer,7:F1} pages/s ({leftToPdfPig} left to PdfPig)  extractor {pages / full,7:F1} pages/s"));
            }
        }
        return 0;
    }
}
