using System.Text.RegularExpressions;
using SecScan.Core.Detection;
using SecScan.Core.Findings;

namespace SecScan.Core.Pii;

/// <summary>
/// K12 (DOMAIN.md §6): a PEM private key block (<c>-----BEGIN … PRIVATE KEY-----</c>, key material,
/// <c>-----END …-----</c>) blocks; the header line alone, quoted in prose, is information.
/// <c>password=</c>, AccessKey and the like are context only: they never fire alone. The evidence names
/// the block type and withholds the key material. Built once per ruleset; thread-safe.
/// </summary>
public sealed class PrivateKeyDetector : IDetector
{
    /// <summary>A PEM block longer than this is not read to its end (an RSA-8192 key is about 6 KB).</summary>
    private const int MaxBlock = 16_384;

    /// <summary>Context cues are read this many characters either side of the block.</summary>
    private const int ContextReach = 300;

    private readonly PrivateKeyConfig _cfg;
    private readonly Regex[] _begin;

    public PrivateKeyDetector(PrivateKeyConfig config)
    {
        _cfg = config;
        _begin = [.. config.Patterns.Select(p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, DetectorRegex.MatchTimeout))];
    }

    public string Id => "credentials";

    public void Detect(DetectionInput input, List<Finding> findings)
    {
        var text = input.Text.Text;
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal)) return;
        foreach (var regex in _begin)
        {
            for (var m = regex.Match(text); m.Success; m = m.NextMatch())
            {
                var kind = m.Groups["value"].Value;
                int bodyStart = m.Index + m.Length;
                int limit = Math.Min(text.Length, bodyStart + MaxBlock);
                int end = text.IndexOf("-----END", bodyStart, limit - bodyStart, StringComparison.Ordinal);
                int material = 0;
                for (int i = bodyStart; i < (end < 0 ? limit : end); i++)
                    if (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '+' or '/' or '=') material++;
                bool block = end >= 0 && material >= _cfg.MinBodyChars;
                int spanEnd = m.Index + m.Length;
                if (block)
                {
                    int close = text.IndexOf("-----", end + 8, Math.Min(text.Length, end + 80) - (end + 8), StringComparison.Ordinal);
                    spanEnd = close >= 0 ? close + 5 : end + 8;
                }
                var steps = new List<ScoreStep>
                {
                    block ? new ScoreStep($"base: PEM {kind} block with {material} characters of key material", _cfg.Scores["key"])
                          : new ScoreStep($"base: PEM {kind} header without key material", _cfg.Scores["header_only"]),
                };
                int from = Math.Max(0, m.Index - ContextReach), to = Math.Min(text.Length, spanEnd + ContextReach);
                var around = text.AsSpan(from, to - from);
                string? cue = null;
                foreach (var c in _cfg.ContextCues)
                    if (cue is null && around.Contains(c, StringComparison.Ordinal)) cue = c;
                if (cue is not null && block) steps.Add(new ScoreStep($"credential context nearby ({cue})", _cfg.Scores["context"]));
                var evidence = block ? $"-----BEGIN {kind}----- … ({material} characters withheld)" : $"-----BEGIN {kind}-----";
                findings.Add(input.CreateFinding(_cfg.Id, FindingCategory.Keyword, m.Index, spanEnd - m.Index, steps.Sum(s => s.Delta), steps,
                    evidence, PiiDetector.Explain(evidence, steps), _cfg.Basis));
            }
        }
    }
}
