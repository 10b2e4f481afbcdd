using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SecScan.Benchmarks;

// Two ways in:
//   --pdf-rate DIR | --docx-rate DIR [--seconds S] [--pattern GLOB] [--warmup S]  Stopwatch loop for run-peers.sh
//   --pdf-breakdown DIR                                              PdfPig alone vs the extractor, per file
//   --detector-rates [--seconds S]                                   MB/s per detector over the corpus (Markdown)
//   --format-rates DIR [--seconds S]                                 extraction rates per sniffed media type (Markdown)
//   --keywords-count PHRASES TEXT [REPEAT]                           the keyword automaton, for keywords-peers.sh
//   --make-wordlike-docx CORPUS OUT [N] / --docx-xml-floor DIR       Word-like DOCX, and a bare XmlReader pass over them
//   --docx-dump DIR...                                               every segment and note of every DOCX (diff two builds)
//   --docx-breakdown DIR [--seconds S]                               µs per DOCX of each stage (zip, package, XmlReader, extractor)
//   --docx-ab OTHER_BIN DIR [--seconds S] [--from-memory]            this build against another, passes interleaved in one process
//   anything else                                                    BenchmarkDotNet (e.g. --filter '*')
if (args.Length >= 2 && args[0] is "--pdf-rate" or "--docx-rate")
{
    double seconds = 10;
    int at = Array.IndexOf(args, "--seconds");
    if (at >= 0 && at + 1 < args.Length) seconds = double.Parse(args[at + 1], CultureInfo.InvariantCulture);
    int pat = Array.IndexOf(args, "--pattern");
    string? pattern = pat >= 0 && pat + 1 < args.Length ? args[pat + 1] : null;
    int warm = Array.IndexOf(args, "--warmup");
    double warmup = warm >= 0 && warm + 1 < args.Length ? double.Parse(args[warm + 1], CultureInfo.InvariantCulture) : 0;
    return RateLoop.Run(args[0] == "--pdf-rate" ? "pdf" : "docx", args[1], seconds, pattern, warmup);
}

if (args.Length == 2 && args[0] == "--pdf-breakdown") return PdfBreakdown.Run(args[1]);

if (args.Length >= 1 && args[0] == "--detector-rates") return DetectorRates.Run(Seconds(args, 3));

if (args.Length >= 2 && args[0] == "--format-rates") return FormatRates.Run(args[1], Seconds(args, 10));

if (args.Length >= 3 && args[0] == "--make-wordlike-docx")
    return WordLikeDocx.Make(args[1], args[2], args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100);
if (args.Length >= 2 && args[0] == "--docx-xml-floor") return WordLikeDocx.Floor(args[1], Seconds(args, 8));
if (args.Length >= 2 && args[0] == "--docx-dump") return DocxBreakdown.Dump(args.Skip(1));
if (args.Length >= 2 && args[0] == "--docx-breakdown") return DocxBreakdown.Run(args[1], Seconds(args, 2));
if (args.Length >= 3 && args[0] == "--docx-ab") return DocxAB.Run(args[1], args[2], Seconds(args, 10), args.Contains("--from-memory"));

// --keywords-count PHRASES TEXT [REPEAT]: the keyword automaton, for keywords-peers.sh
if (args.Length >= 3 && args[0] == "--keywords-count")
    return SecScan.Benchmarks.Keywords.KeywordCount.Run(args[1], args[2], args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3);

var config = DefaultConfig.Instance.AddColumn(new RateColumn());
BenchmarkSwitcher.FromAssembly(typeof(RateColumn).Assembly).Run(args, config);
return 0;

static double Seconds(string[] args, double fallback)
{
    int at = Array.IndexOf(args, "--seconds");
    return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
