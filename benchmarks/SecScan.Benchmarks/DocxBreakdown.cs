using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.IO.Packaging;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction;
using SecScan.Extraction.OpenXml;

namespace SecScan.Benchmarks;

/// <summary>
/// Diagnostic mode (<c>--docx-breakdown DIR [--seconds S]</c>): where one DOCX's time goes. Each stage runs
/// alone over every file held in memory, in whole passes for S seconds, after a warm-up pass; the stages
/// overlap (the extractor does all of them), so the table shows each stage's cost as µs per file, not a sum.
/// </summary>
internal static class DocxBreakdown
{
    private static readonly string[] StoryPrefixes = ["word/document", "word/header", "word/footer", "word/footnotes", "word/endnotes", "word/comments", "docProps/"];

    public static int Run(string directory, double seconds)
    {
        var paths = BenchData.Files(directory, "*.docx");
        var files = paths.Select(File.ReadAllBytes).ToArray();
        var documentXml = files.Select(b =>
        {
            using var zip = new ZipArchive(new MemoryStream(b));
            using var s = zip.GetEntry("word/document.xml")!.Open();
            var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        }).ToArray();
        var sink = new byte[81920];
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        var dispatcher = DocumentExtractor.CreateDefault();
        var scanState = new XmlScanState();
        var chars = new char[4096];
        var docx = new DocxExtractor();

        var stages = new (string Name, Action<int> Run)[]
        {
            ("sniff (ZipArchive central directory)", i => Sniffer.Sniff(Memory(files[i]))),
            ("ZipArchive open only", i => { using var z = new ZipArchive(Memory(files[i])); _ = z.Entries.Count; }),
            ("ZipArchive open + inflate story and property parts", i =>
            {
                using var z = new ZipArchive(Memory(files[i]));
                foreach (var e in z.Entries)
                    if (StoryPrefixes.Any(p => e.FullName.StartsWith(p, StringComparison.Ordinal)) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
                    {
                        using var s = e.Open();
                        while (s.Read(sink) > 0) { }
                    }
            }),
            ("OpcZipPackage open + package and main relationships", i =>
            {
                using var package = OpcZipPackage.Open(Memory(files[i]));
                using var buffer = new PartBuffer();
                package.Relationships("/", scanState, buffer);
                package.Relationships("/word/document.xml", scanState, buffer);
            }),
            ("System.IO.Packaging + SDK open, parts and relationships (no part read)", i =>
            {
                using var package = Package.Open(Memory(files[i]), FileMode.Open, FileAccess.Read);
                using var doc = WordprocessingDocument.Open(package);
                var main = doc.MainDocumentPart!;
                _ = main.HeaderParts.Count() + main.FooterParts.Count();
                _ = main.FootnotesPart; _ = main.EndnotesPart; _ = main.WordprocessingCommentsPart;
                _ = doc.GetAllParts().Count();
            }),
            ("XmlReader over inflated word/document.xml (from memory)", i =>
            {
                using var r = XmlReader.Create(new MemoryStream(documentXml[i]), settings);
                while (r.Read()) { }
            }),
            ("Utf8XmlScanner over inflated word/document.xml (tokens only)", i =>
            {
                var scanner = new Utf8XmlScanner(documentXml[i], scanState);
                while (scanner.Read()) { }
            }),
            ("Utf8XmlScanner, tokens only, *Pr and tblGrid contents skipped (TrySkipContent)", i =>
            {
                var scanner = new Utf8XmlScanner(documentXml[i], scanState);
                while (scanner.Read())
                    if (scanner.Token == XmlToken.StartElement && !scanner.IsEmptyElement && scanner.Namespace == XmlNs.W
                        && (scanner.LocalName.EndsWith("Pr"u8) || scanner.LocalName.SequenceEqual("tblGrid"u8)))
                        scanner.TrySkipContent(SkipStops);
            }),
            ("Utf8XmlScanner + decoding all text to UTF-16", i =>
            {
                var scanner = new Utf8XmlScanner(documentXml[i], scanState);
                while (scanner.Read())
                    if (scanner.Token is XmlToken.Text or XmlToken.CData)
                        for (int consumed = 0; consumed < scanner.RawText.Length;) scanner.DecodeText(ref consumed, chars);
            }),
            ("DocxExtractor.Extract (MemoryStream)", i => docx.Extract(Memory(files[i]), new ExtractionContext("b.docx", "b.docx", ScanLimits.Default, 0, CancellationToken.None))),
            ("DocumentExtractor (dispatcher: sniff, time bound, file name)", i => dispatcher.Extract(ScanSource.FromBytes("b", "b.docx", files[i]), ScanLimits.Default, CancellationToken.None)),
            ("open and read the file from disk (ScanSource.FromFile, one read)", i =>
            {
                var source = ScanSource.FromFile(paths[i]);
                using var s = source.Open();
                s.ReadExactly(sink.AsSpan(0, (int)source.Length));
            }),
            ("DocumentExtractor from disk (ScanSource.FromFile)", i => dispatcher.Extract(ScanSource.FromFile(paths[i]), ScanLimits.Default, CancellationToken.None)),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{files.Length} files, {documentXml.Average(x => x.Length) / 1024:F0} KB of word/document.xml on average"));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < files.Length; i++) docx.Extract(Memory(files[i]), new ExtractionContext("b.docx", "b.docx", ScanLimits.Default, 0, CancellationToken.None));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DocxExtractor.Extract allocates {(GC.GetAllocatedBytesForCurrentThread() - before) / files.Length / 1024.0:F0} KB per file (managed heap)"));
        // CPU µs (the process's user + system time) is the steadier figure on a shared machine: time slices lost
        // to other processes count in wall time only.
        Console.WriteLine("| stage | µs per file (wall) | files/s (wall) | CPU µs per file |");
        Console.WriteLine("|---|---:|---:|---:|");
        var process = Process.GetCurrentProcess();
        foreach (var (name, run) in stages)
        {
            for (int i = 0; i < files.Length; i++) run(i);
            long n = 0;
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            do
            {
                for (int i = 0; i < files.Length; i++) run(i);
                n += files.Length;
            }
            while (clock.Elapsed.TotalSeconds < seconds);
            double us = clock.Elapsed.TotalMilliseconds * 1000 / n;
            process.Refresh();
            double cpuUs = (process.TotalProcessorTime - cpu).TotalMilliseconds * 1000 / n;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {us:F0} | {1e6 / us:F0} | {cpuUs:F0} |"));
        }
        return 0;
    }

    /// <summary>
    /// <c>--docx-dump DIR...</c>: every segment, note and child of every *.docx under the folders, one line
    /// each, so that two builds of the extractor can be compared with diff.
    /// </summary>
    public static int Dump(IEnumerable<string> directories)
    {
        var extractor = DocumentExtractor.CreateDefault();
        foreach (var f in directories.SelectMany(d => Directory.GetFiles(d, "*.docx", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            Console.WriteLine($"== {f}");
            Print(extractor.Extract(ScanSource.FromFile(f), ScanLimits.Default, CancellationToken.None), "");
        }
        return 0;

        static void Print(ExtractedDocument doc, string indent)
        {
            Console.WriteLine($"{indent}type {doc.MediaType}");
            foreach (var s in doc.Segments) Console.WriteLine($"{indent}seg {s.Location} [{s.Location.Part}|{s.Location.PartName}|{s.Location.Paragraph}|{s.Location.Table}|{s.Location.Row}|{s.Location.Column}] {s.Text.ReplaceLineEndings("\\n")}");
            foreach (var n in doc.Coverage) Console.WriteLine($"{indent}note {n.Kind} {n.Message} @ {n.Location}");
            foreach (var c in doc.Children) Print(c, indent + "  ");
        }
    }

    private static readonly XmlNameSet SkipStops = new("p", "r", "vanish", "ins", "del", "moveTo", "moveFrom", "rt", "txbxContent",
        "tbl", "tr", "tc", "footnote", "endnote", "AlternateContent", "Choice", "Fallback", "blip", "imagedata", "OLEObject");

    private static MemoryStream Memory(byte[] bytes) => new(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
}
