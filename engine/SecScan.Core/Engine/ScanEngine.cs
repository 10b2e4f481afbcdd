using System.Diagnostics;
using System.Security.Cryptography;
using SecScan.Core.Detection;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Core.Findings;
using SecScan.Core.Rulesets;
using SecScan.Core.Text;

namespace SecScan.Core.Engine;

/// <summary>
/// The one way to scan: source → extractor → normalizer → detectors → policy → verdict. Built once
/// from a compiled ruleset, extractors and limits; thread-safe; every entry point (CLI, server, tests,
/// benchmarks) scans through it. It never throws for bad input: a document that cannot be read is a
/// verdict with coverage notes, and a detector that fails loses only its own findings.
/// </summary>
public sealed class ScanEngine
{
    private readonly IDocumentExtractor _extractor;

    public ScanEngine(CompiledRuleset ruleset, IDocumentExtractor extractor, ScanLimits? limits = null)
    {
        Ruleset = ruleset;
        _extractor = extractor;
        Limits = limits ?? ScanLimits.Default;
    }

    public CompiledRuleset Ruleset { get; }

    public ScanLimits Limits { get; }

    /// <summary>Scans one source on its channel.</summary>
    /// <exception cref="ArgumentException">The source names a channel the policy does not have.</exception>
    public Verdict Scan(ScanSource source, CancellationToken cancellationToken = default)
    {
        if (!Ruleset.Policy.HasChannel(source.Channel))
            throw new ArgumentException($"unknown channel '{source.Channel}'; known: {string.Join(", ", Ruleset.Policy.ChannelNames)}", nameof(source));
        var total = Stopwatch.StartNew();
        var document = _extractor.Extract(source, Limits, cancellationToken);
        double extractMs = total.Elapsed.TotalMilliseconds;
        return Evaluate(document, source.Id, source.Channel, source.Length, HashOf(source), extractMs, total, cancellationToken);
    }

    /// <summary>Runs normalization, detection and policy on an already extracted document.</summary>
    public Verdict Evaluate(ExtractedDocument document, string sourceId, string channel, long bytes, string sha256, CancellationToken cancellationToken = default) =>
        Evaluate(document, sourceId, channel, bytes, sha256, 0, Stopwatch.StartNew(), cancellationToken);

    private Verdict Evaluate(ExtractedDocument document, string sourceId, string channel, long bytes, string sha256,
        double extractMs, Stopwatch total, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var coverage = document.AllCoverage().ToList();
        double normalizeMs = 0, detectMs = 0;
        // Each document in the tree (the file, its attachments, members, embedded objects) is its own
        // text: its own top region, its own genre. Findings carry the container path in their location.
        foreach (var doc in Flatten(document))
        {
            if (doc.Segments.Count == 0) continue;
            var t0 = Stopwatch.GetTimestamp();
            var text = Ruleset.Normalizer.Normalize(doc.Segments);
            var t1 = Stopwatch.GetTimestamp();
            normalizeMs += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
            var input = new DetectionInput(text, Ruleset.Genres, cancellationToken);
            int documentStart = findings.Count;
            // Context detectors read the others' findings, so they run last (the order of the list is otherwise kept).
            foreach (var detector in Ruleset.Detectors.Where(d => d is not IContextDetector).Concat(Ruleset.Detectors.Where(d => d is IContextDetector)))
            {
                int before = findings.Count;
                try
                {
                    if (detector is IContextDetector context) context.Detect(input, findings, documentStart);
                    else detector.Detect(input, findings);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Keep what other detectors found; say what this one could not do.
                    findings.RemoveRange(before, findings.Count - before);
                    var where = doc.Segments[0].Location;
                    coverage.Add(new CoverageNote(ex is System.Text.RegularExpressions.RegexMatchTimeoutException ? CoverageKind.TimedOut : CoverageKind.Error,
                        $"detector '{detector.Id}' failed: {ex.GetType().Name}", where with { Part = SegmentPart.Body, PartName = null }));
                }
            }
            detectMs += Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
        }

        findings.Sort((a, b) => b.Confidence.CompareTo(a.Confidence));
        var (decision, reasons) = Ruleset.Policy.Decide(channel, findings, coverage);
        return new Verdict
        {
            Source = sourceId,
            Channel = channel,
            Decision = decision,
            Reasons = reasons,
            Findings = findings,
            Coverage = new Coverage(coverage.Count == 0, coverage),
            Ruleset = Ruleset.Info,
            MediaType = document.MediaType,
            Bytes = bytes,
            Sha256 = sha256,
            Timings = new Timings(Math.Round(extractMs, 3), Math.Round(normalizeMs, 3), Math.Round(detectMs, 3), Math.Round(total.Elapsed.TotalMilliseconds, 3)),
        };
    }

    private static IEnumerable<ExtractedDocument> Flatten(ExtractedDocument root)
    {
        yield return root;
        foreach (var c in root.Children)
            foreach (var d in Flatten(c)) yield return d;
    }

    private static string HashOf(ScanSource source)
    {
        try
        {
            using var s = source.Open();
            return Convert.ToHexStringLower(SHA256.HashData(s));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
