using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace SecScan.Benchmarks;

/// <summary>
/// DOCX as Word writes them (one run per paragraph, ~50 KB of WordprocessingML for ~30 KB of text), and
/// the floor any XmlReader-based reader stands on: one bare <see cref="XmlReader"/> pass over
/// <c>word/document.xml</c>. LibreOffice's DOCX carry ~7× markup per character (150–215 KB of XML for
/// the same text), so both kinds are measured.
/// </summary>
internal static class WordLikeDocx
{
    /// <summary><c>--make-wordlike-docx CORPUS OUT [N]</c>: N files of ≥ 30 KB of UTF-8 text from consecutive corpus lines.</summary>
    public static int Make(string corpus, string output, int files)
    {
        Directory.CreateDirectory(output);
        var lines = File.ReadLines(corpus).Where(l => l.Length > 20).ToArray();
        int next = 0;
        for (int f = 1; f <= files; f++)
        {
            using var doc = WordprocessingDocument.Create(Path.Combine(output, $"word-{f:D3}.docx"), WordprocessingDocumentType.Document);
            var body = new Body();
            int bytes = 0;
            while (bytes < 30_000)
            {
                var text = lines[next++ % lines.Length];
                bytes += Encoding.UTF8.GetByteCount(text);
                body.Append(new Paragraph(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));
            }
            doc.AddMainDocumentPart().Document = new Document(body);
        }
        Console.WriteLine($"{files} Word-like DOCX files in {output}");
        return 0;
    }

    /// <summary><c>--docx-xml-floor DIR [--seconds S]</c>: files/s of inflating and reading document.xml with a bare XmlReader.</summary>
    public static int Floor(string directory, double seconds)
    {
        var files = Directory.GetFiles(directory, "*.docx").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        void Pass()
        {
            foreach (var bytes in files)
            {
                using var zip = new ZipArchive(new MemoryStream(bytes));
                using var stream = zip.GetEntry("word/document.xml")!.Open();
                using var reader = XmlReader.Create(stream, settings);
                while (reader.Read()) { }
            }
        }
        Pass();
        int passes = 0;
        var clock = Stopwatch.StartNew();
        do { Pass(); passes++; } while (clock.Elapsed.TotalSeconds < seconds || passes < 3);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RATE docx-xml-floor {files.Length * passes / clock.Elapsed.TotalSeconds:F1} files/s {files.Length * passes} {passes} {clock.Elapsed.TotalSeconds:F3}"));
        return 0;
    }
}
