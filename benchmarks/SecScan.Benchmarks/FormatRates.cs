using System.Diagnostics;
using System.Globalization;
using SecScan.Core.Documents;
using SecScan.Extraction;

namespace SecScan.Benchmarks;

/// <summary>
/// Stopwatch mode (<c>--format-rates DIR [--seconds S]</c>): extraction only, through
/// <see cref="DocumentExtractor.CreateDefault"/>, of every file under DIR (subfolders included), read from
/// disk. One warm-up pass, then whole passes for at least S seconds (10 by default) and at least 3 passes,
/// each file timed on its own. Prints a Markdown table grouped by the media type the sniffer gave the
/// top-level file: files/s and MB/s of input, and characters of extracted text per second (the text of
/// every document in the tree: attachments, members and embedded objects count).
/// </summary>
internal static class FormatRates
{
    private sealed class Group
    {
        public int Files;
        public long Bytes;
        public long Chars;
        public double Seconds;
        public readonly SortedSet<string> Extensions = new(StringComparer.Ordinal);
        public readonly SortedDictionary<string, int> Notes = new(StringComparer.Ordinal);
    }

    public static int Run(string directory, double budgetSeconds)
    {
        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine($"no folder {directory}");
            return 2;
        }
        var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"no file under {directory}");
            return 2;
        }
        var extractor = DocumentExtractor.CreateDefault();

        // Warm-up pass: JIT and caches; it also gives each file its media type, size, text and notes.
        var groupOf = new string[files.Length];
        var groups = new SortedDictionary<string, Group>(StringComparer.Ordinal);
        for (int i = 0; i < files.Length; i++)
        {
            var doc = Extract(extractor, files[i]);
            groupOf[i] = doc.MediaType;
            if (!groups.TryGetValue(doc.MediaType, out var g)) groups[doc.MediaType] = g = new Group();
            g.Files++;
            g.Bytes += new FileInfo(files[i]).Length;
            g.Chars += doc.AllSegments().Sum(s => (long)s.Text.Length);
            var ext = Path.GetExtension(files[i]);
            g.Extensions.Add(ext.Length == 0 ? "(none)" : ext.ToLowerInvariant());
            foreach (var note in doc.AllCoverage())
            {
                var kind = note.Kind.ToString();
                g.Notes[kind] = g.Notes.GetValueOrDefault(kind) + 1;
            }
        }

        int passes = 0;
        var total = Stopwatch.StartNew();
        do
        {
            for (int i = 0; i < files.Length; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                Extract(extractor, files[i]);
                groups[groupOf[i]].Seconds += Stopwatch.GetElapsedTime(t0).TotalSeconds;
            }
            passes++;
        }
        while (total.Elapsed.TotalSeconds < budgetSeconds || passes < 3);
        double wall = total.Elapsed.TotalSeconds;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{directory}: {files.Length} files, {groups.Values.Sum(g => g.Bytes):N0} bytes; {passes} passes in {wall:F1} s after one warm-up pass"));
        Console.WriteLine();
        Console.WriteLine("| sniffed media type | names | files | input KB | text chars | coverage notes (per pass) | ms per file | files/s | MB/s in | chars/s |");
        Console.WriteLine("|---|---|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (var (type, g) in groups)
            Console.WriteLine(Row(type, string.Join(' ', g.Extensions), g.Files, g.Bytes, g.Chars,
                g.Notes.Count == 0 ? "-" : string.Join(", ", g.Notes.Select(n => $"{n.Key} {n.Value}")), g.Seconds, passes));
        Console.WriteLine(Row("**all**", "", groups.Values.Sum(g => g.Files), groups.Values.Sum(g => g.Bytes), groups.Values.Sum(g => g.Chars),
            "", groups.Values.Sum(g => g.Seconds), passes));
        return 0;
    }

    private static string Row(string type, string names, int files, long bytes, long chars, string notes, double seconds, int passes)
    {
        double perPass = seconds / passes;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {type} | {names} | {files} | {bytes / 1e3:N1} | {chars:N0} | {notes} | {perPass * 1e3 / files:F2} | {files / perPass:N1} | {bytes / 1e6 / perPass:F2} | {chars / perPass:N0} |");
    }

    private static ExtractedDocument Extract(DocumentExtractor extractor, string path) =>
        extractor.Extract(ScanSource.FromFile(path), ScanLimits.Default, CancellationToken.None);
}
