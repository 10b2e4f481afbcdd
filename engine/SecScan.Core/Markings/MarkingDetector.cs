using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SecScan.Core.Detection;
using SecScan.Core.Documents;
using SecScan.Core.Findings;

namespace SecScan.Core.Markings;

/// <summary>
/// Markings D1–D6 of DOMAIN.md §3: state-secret marks, 密级 fields, work-secret/internal marks and
/// commercial-secret marks, with declassification (D5), header elements (D6) and the document-level
/// genres of §7 as modifiers. A cheap vectorized search for trigger words finds the few lines worth a
/// regex; everything else in the text costs one pass of <see cref="SearchValues{T}"/>.
/// Built once per ruleset; thread-safe.
/// </summary>
public sealed class MarkingDetector : IDetector
{
    /// <summary>Context is read this many characters either side of a mark, so a megabyte-long line costs no more per mark than a short one.</summary>
    private const int ContextWindow = 200;

    /// <summary>Header elements (份号, 特急, 发文字号 …) are short lines; longer neighbours are not read for them.</summary>
    private const int MaxElementLine = 200;

    /// <summary>Mid-sentence marks kept per document: past this the document is a list of examples and a reviewer already has plenty.</summary>
    private const int MaxInlinePerDocument = 1000;

    private readonly MarkingsConfig _cfg;
    private readonly MarkingPatterns _p;

    public MarkingDetector(MarkingsConfig config)
    {
        _cfg = config;
        _p = new MarkingPatterns(config);
    }

    public string Id => "markings";

    public void Detect(DetectionInput input, List<Finding> findings)
    {
        var text = input.Text.Text;
        var candidates = new List<MarkingCandidate>();
        int inlineSeen = 0;
        int pos = 0, lines = 0;
        var cursor = _p.StartTriggerSearch();
        while (pos < text.Length && _p.NextTriggerLine(text, pos, cursor, out int lineStart, out int lineEnd))
        {
            ScanLine(input, text, lineStart, lineEnd, candidates, ref inlineSeen);
            pos = lineEnd + 1;
            if ((++lines & 0xFF) == 0) input.CancellationToken.ThrowIfCancellationRequested();
        }
        ScanFieldTables(input, candidates);
        if (candidates.Count == 0) return;

        ApplyDocumentModifiers(input, candidates);
        foreach (var c in RemoveOverlaps(candidates))
            findings.Add(input.CreateFinding(c.Rule, FindingCategory.Marking, c.Start, c.Length, c.Final, c.Steps,
                c.Mark, Explain(c), c.Basis));
    }

    // ---- per line ---------------------------------------------------------------------------------

    private void ScanLine(DetectionInput input, string text, int ls, int le, List<MarkingCandidate> output, ref int inlineSeen)
    {
        int len = le - ls;
        if (len == 0) return;
        bool top = input.IsTopRegion(ls);
        var part = input.LocationAt(ls).Part;
        bool headerLike = part is SegmentPart.Header or SegmentPart.Footer;
        int before = output.Count;

        // D2 first: a labelled field consumes its value, so the value is not also read as a D1 mark.
        var field = _p.Field.Match(text, ls, len);
        if (field.Success) AddField(input, text, ls, le, field, top, output);

        // D1 line-alone forms (M1 with 份号/紧急程度 on the same line, M1b).
        var m1 = _p.LineAlone.Match(text, ls, len);
        if (m1.Success && output.Count == before)
        {
            var level = m1.Groups["level"];
            bool star = m1.Groups["star"].Success, period = m1.Groups["period"].Success;
            var (form, score) = (star, period) switch
            {
                (true, true) => ("alone on its line with ★ and a period", S("line_star_period")),
                (true, false) => ("alone on its line with ★", S("line_star")),
                _ => top ? ("level alone on its line in the top region", S("line_level_top")) : ("level alone on its line", S("line_level")),
            };
            int start = level.Index, end = m1.Groups["period"].Success ? EndOf(m1.Groups["period"]) : star ? EndOf(m1.Groups["star"]) : EndOf(level);
            var c = new MarkingCandidate(_cfg.StateSecret.Id, start, end - start, ls, le, text[start..end], form, score, _cfg.StateSecret.Basis)
            {
                Level = Unspace(level.Value), HasStar = star, PeriodText = period ? m1.Groups["period"].Value : null,
                LineAlone = true, LevelOnly = !star,
            };
            if (!top || !(star || period)) { }   // the top-region raise is applied with the others below
            ScoreStateSecret(input, text, c, top, inline: false);
            output.Add(c);
        }
        else if (output.Count == before)
        {
            // 【秘密】关于……的通知 / （秘密）本段……
            var b = _p.BracketPrefix.Match(text, ls, len);
            if (b.Success)
            {
                bool title = b.Groups["open"].Value is "【" or "〔" or "[";
                var level = b.Groups["level"];
                var c = new MarkingCandidate(_cfg.StateSecret.Id, b.Index, b.Length, ls, le, b.Value.Trim(),
                    title ? "level in brackets at the start of a title" : "level in brackets at the start of a paragraph",
                    title ? S("title_bracket") : S("paragraph_prefix"), _cfg.StateSecret.Basis)
                {
                    Level = level.Value, HasStar = b.Groups["star"].Success, PeriodText = b.Groups["period"].Success ? b.Groups["period"].Value : null,
                    LineAlone = title,
                };
                ScoreStateSecret(input, text, c, top, inline: false);
                output.Add(c);
            }
            else
            {
                // M2: inline 密级★period anywhere in the line.
                foreach (Match m in _p.Inline.Matches(text.Substring(ls, len)))
                {
                    if (inlineSeen++ >= MaxInlinePerDocument) break;
                    int start = ls + m.Index;
                    bool period = m.Groups["period"].Success;
                    if (Overlaps(output, before, start, m.Length)) continue;
                    var c = new MarkingCandidate(_cfg.StateSecret.Id, start, m.Length, ls, le, m.Value,
                        period ? "mid-sentence with ★ and a period" : "mid-sentence with ★",
                        period ? S("inline_star_period") : S("inline_star"), _cfg.StateSecret.Basis)
                    {
                        Level = m.Groups["level"].Value, HasStar = true, PeriodText = period ? m.Groups["period"].Value : null,
                    };
                    ScoreStateSecret(input, text, c, top, inline: true);
                    output.Add(c);
                }
            }
        }

        if (output.Count == before) AddWorkSecret(text, ls, le, top, headerLike, part, output);
        if (output.Count == before) AddCommercial(text, ls, le, top, headerLike, part, output);
    }

    private void AddField(DetectionInput input, string text, int ls, int le, Match field, bool top, List<MarkingCandidate> output)
    {
        string? value = field.Groups["value"].Success ? field.Groups["value"].Value : null;
        if (value is null && field.Groups["options"].Success)
        {
            var ticked = _p.TickedOption.Matches(field.Groups["options"].Value);
            if (ticked.Count != 1) return;   // a blank form, or an unclear one: nothing is claimed
            value = ticked[0].Groups["value"].Value;
        }
        if (value is null || _cfg.Field.PublicValues.Contains(value)) return;
        var fs = _cfg.Field;
        int start = field.Index, length = field.Length;
        var mark = text.Substring(start, length);
        if (_cfg.StateSecret.Levels.Contains(value))
        {
            var c = new MarkingCandidate(fs.Id, start, length, ls, le, mark,
                top ? "密级 field on the cover or in document properties" : "密级 field",
                top ? fs.Scores["top"] : fs.Scores["elsewhere"], fs.Basis)
            { Level = value, HasStar = field.Groups["star"].Success, PeriodText = field.Groups["period"].Success ? field.Groups["period"].Value : null, LineAlone = true };
            ScoreField(input, text, c);
            output.Add(c);
        }
        else if (value is "内部" or "工作秘密")
        {
            var ws = _cfg.WorkSecret;
            output.Add(new MarkingCandidate(ws.Id, start, length, ls, le, mark, "密级 field says " + value,
                top ? ws.Scores["top"] : ws.Scores["line"], ws.Basis) { LineAlone = true });
        }
        else
        {
            var cs = _cfg.Commercial;
            bool core = value.StartsWith("核心", StringComparison.Ordinal);
            output.Add(new MarkingCandidate(cs.Id, start, length, ls, le, mark, "密级 field says " + value,
                core ? cs.Scores["core"] : cs.Scores["level"], cs.Basis) { LineAlone = true });
        }
    }

    private void AddWorkSecret(string text, int ls, int le, bool top, bool headerLike, SegmentPart part, List<MarkingCandidate> output)
    {
        var ws = _cfg.WorkSecret;
        int len = le - ls;
        var m = _p.WorkSecretLine.Match(text, ls, len);
        if (!m.Success) m = _p.WorkSecretBracket.Match(text, ls, len);
        if (m.Success)
        {
            var g = m.Groups["mark"];
            string mark = g.Value.Trim();
            bool imprint = _cfg.WorkSecret.Imprints.Contains(mark);
            var (form, score) = headerLike ? ("alone in a page header or footer", ws.Scores["header"])
                : imprint ? ("publication imprint", ws.Scores["imprint"])
                : top ? ("alone on its line in the top region", ws.Scores["top"])
                : ("alone on its line", ws.Scores["line"]);
            output.Add(new MarkingCandidate(ws.Id, g.Index, g.Length, ls, le, mark, form, score, ws.Basis) { LineAlone = true });
            return;
        }
        var sym = _p.WorkSecretSymbol.Match(text, ls, len);
        if (sym.Success)
        {
            output.Add(new MarkingCandidate(ws.Id, sym.Index, sym.Length, ls, le, sym.Value, "内部 with a marking symbol",
                top || headerLike ? ws.Scores["top"] : ws.Scores["line"], ws.Basis));
            return;
        }
        var inline = _p.WorkSecretInline.Match(text, ls, len);
        if (inline.Success && part != SegmentPart.FileName)
            output.Add(new MarkingCandidate(ws.Id, inline.Index, inline.Length, ls, le, inline.Value, "mentioned in prose", ws.Scores["inline"], ws.Basis));
    }

    private void AddCommercial(string text, int ls, int le, bool top, bool headerLike, SegmentPart part, List<MarkingCandidate> output)
    {
        var cs = _cfg.Commercial;
        var m = _p.CommercialLine.Match(text, ls, le - ls);
        if (!m.Success) return;
        var level = m.Groups["level"].Value;
        bool withPeriod = m.Groups["sym"].Success && m.Groups["period"].Success;
        bool core = cs.CoreLevels.Contains(level);
        double score;
        string form;
        if (withPeriod)
        {
            (form, score) = core ? ("core commercial-secret mark with symbol and period", cs.Scores["core"]) : ("commercial-secret mark with symbol and period", cs.Scores["level"]);
        }
        else
        {
            bool placed = headerLike || part is SegmentPart.TextBox or SegmentPart.Metadata || (top && !MarkingPatterns.GenericCommercial.Contains(level));
            if (!placed) return;   // 商业秘密 as an ordinary heading is not a mark
            (form, score) = ("commercial-secret level alone in a header, text box or the top region", cs.Scores["bare"]);
        }
        var c = new MarkingCandidate(cs.Id, m.Groups["body"].Index, m.Groups["body"].Length, ls, le, m.Groups["body"].Value.Trim(), form, score, cs.Basis) { LineAlone = true };
        if (m.Groups["sym"].Value == "★") c.Note("★ is reserved for 国家秘密: the owner misused it");
        output.Add(c);
    }

    // ---- D1/D2 context ----------------------------------------------------------------------------

    private void ScoreStateSecret(DetectionInput input, string text, MarkingCandidate c, bool top, bool inline)
    {
        var cfg = _cfg.StateSecret;
        c.InTopRegion = top;
        if (top) c.Add(input.IsHeaderOrFooter(c.Start) ? "in a page header or footer" : "in the top region", M("top_region"));
        if (c.PeriodText is { } period && c.Level is { } level && cfg.MaxYears.TryGetValue(level, out int max))
        {
            var (_, outOfRange) = Period.Check(period, max);
            if (outOfRange is not null) c.Add("period out of range: " + outOfRange, M("period_out_of_range"));
        }
        int end = c.Start + c.Length;
        if (c.HasStar && end < c.LineEnd && cfg.Stars.Contains(text[end], StringComparison.Ordinal))
            c.Add("followed by another star (a rating, not a mark)", M("double_star"));
        ApplyLowering(text, c, inline);
        ApplyHeaderElements(text, c);
    }

    private void ScoreField(DetectionInput input, string text, MarkingCandidate c)
    {
        c.InTopRegion = input.IsTopRegion(c.Start);
        ApplyLowering(text, c, inline: false);
        ApplyHeaderElements(text, c);
    }

    /// <summary>The lowering modifiers of D1 that look at the line: quotes, example cues, quiz, level words, negation, code.</summary>
    private void ApplyLowering(string text, MarkingCandidate c, bool inline)
    {
        var cfg = _cfg.StateSecret;
        int ws = Math.Max(c.LineStart, c.Start - ContextWindow), we = Math.Min(c.LineEnd, c.Start + c.Length + ContextWindow);
        var line = text.AsSpan(ws, we - ws);
        int relStart = c.Start - ws, relEnd = relStart + c.Length;

        if (IsQuoted(line, relStart, relEnd)) c.Add("enclosed in quotation marks", M("quoted"));

        var before = line[Math.Max(0, relStart - cfg.ExampleCueWindow)..relStart];
        string? cue = FirstContained(before, cfg.ExampleCues) ?? PreviousLineIntroducesExample(text, c.LineStart);
        if (cue is not null) c.Add($"introduced as an example ({cue})", M("example_cue"));

        if (_p.Quiz.IsMatch(line)) c.Add("quiz or exam-question context", M("quiz"));

        var near = line[Math.Max(0, relStart - 6)..relStart];
        string? levelWord = FirstContained(near, cfg.LevelWordBefore);
        int levelEnd = relStart + (c.Level?.Length ?? 0);
        if (levelWord is not null || (!c.HasStar && levelEnd < line.Length && line[levelEnd] == '级'))
            c.Add("talks about the level (" + (levelWord ?? "…级") + ")", M("level_word"));

        var window = string.Concat(line[Math.Max(0, relStart - cfg.NegationWindow)..relStart], "|", line[relEnd..Math.Min(line.Length, relEnd + cfg.NegationWindow)]);
        if (FirstContained(window, cfg.Negations) is { } neg) c.Add($"negated or declassified nearby ({neg})", M("negation"));

        if (inline && (ws > c.LineStart || relStart > FirstContentIndex(line)) && c.LineEnd - c.LineStart > cfg.MidSentenceLength)
            c.Add("mid-sentence in a long paragraph", M("mid_sentence"));

        if (_p.SourceCode.IsMatch(line)) c.Add("source-code context", M("source_code"));
    }

    /// <summary>D6: 份号, 紧急程度, 发文字号 … on the mark's line or within ±N lines raise it, once per kind.</summary>
    private void ApplyHeaderElements(string text, MarkingCandidate c)
    {
        var he = _cfg.HeaderElements;
        double total = 0;
        var seen = new List<string>();
        foreach (var (ls, le) in Neighbourhood(text, c.LineStart, c.LineEnd, he.LineWindow))
        {
            var line = text.AsSpan(ls, le - ls).Trim();
            if (line.IsEmpty || line.Length > MaxElementLine) continue;
            for (int i = 0; i < _p.HeaderElements.Length; i++)
            {
                var (name, regex, raise) = _p.HeaderElements[i];
                if (seen.Contains(name)) continue;
                // On the mark's own line, only the parts outside the mark count (M1b: "000123 机密★10年 特急").
                bool own = ls == c.LineStart;
                bool hit = own
                    ? regex.IsMatch(string.Concat(text.AsSpan(c.LineStart, c.Start - c.LineStart), "\n", text.AsSpan(c.Start + c.Length, c.LineEnd - c.Start - c.Length)).Replace("\n", "", StringComparison.Ordinal).Trim())
                    : regex.IsMatch(line);
                if (!hit) continue;
                seen.Add(name);
                double add = Math.Min(raise, he.Max - total);
                if (add <= 0) continue;
                total += add;
                c.Add("next to " + name, add);
            }
        }
    }

    private void ApplyDocumentModifiers(DetectionInput input, List<MarkingCandidate> candidates)
    {
        var cfg = _cfg.StateSecret;
        var stateRules = candidates.Where(c => c.Rule == cfg.Id || c.Rule == _cfg.Field.Id).ToList();
        if (stateRules.Count == 0) return;

        // Same mark on ≥ 2 pages or in ≥ 2 header/footer places.
        foreach (var group in stateRules.Where(c => c.HasStar).GroupBy(c => c.Mark, StringComparer.Ordinal))
        {
            int pages = group.Select(c => input.LocationAt(c.Start).Page).Where(p => p is not null).Distinct().Count();
            int headers = group.Count(c => input.IsHeaderOrFooter(c.Start));
            if (pages >= 2 || headers >= 2)
                foreach (var c in group) c.Add("repeated on every page", M("repeated"));
        }

        // A list of levels, each alone on its line, is an explanation of the levels, not a mark.
        var levelOnly = stateRules.Where(c => c.LevelOnly).ToList();
        if (levelOnly.Select(c => c.Level).Distinct(StringComparer.Ordinal).Count() >= 2)
            foreach (var c in levelOnly) c.Add("several levels listed one per line", M("level_list"));

        bool markInTop = stateRules.Any(c => c.LineAlone && c.InTopRegion && c.HasStar);
        // The genre (DOMAIN.md §7) is computed once per document for every detector (genres.yaml).
        var doc = input.Genre;
        if (doc.IsDiscussion && !markInTop)
            foreach (var c in stateRules.Where(c => !c.InTopRegion))
                c.Add($"discussion genre ({doc.DiscussionCues} cues such as 保密法, 密级分为)", M("discussion_genre"));

        if (doc.IsTemplate)
            foreach (var c in stateRules) c.Add($"template genre ({doc.TemplateCues} cues such as 示例, ×××)", M("template_genre"));

        if (doc.IsExam)
            foreach (var c in stateRules.Where(c => c.PeriodText?.EndsWith("启用前", StringComparison.Ordinal) == true))
                c.Cap($"exam paper ({doc.ExamCues} exam cues): the condition 启用前 may be met; a reviewer checks", cfg.Exam.Cap);

        // D5: a declassification note near the mark makes it a question for a reviewer, never an allow.
        var text = input.Text.Text;
        var d5 = _cfg.Declassification;
        foreach (var c in stateRules)
        {
            int from = Math.Max(0, c.Start - d5.CharWindow), to = Math.Min(text.Length, c.Start + c.Length + d5.CharWindow);
            foreach (var (ls, le) in Neighbourhood(text, c.LineStart, c.LineEnd, d5.LineWindow))
            {
                from = Math.Min(from, Math.Max(ls, c.Start - ContextWindow));
                to = Math.Max(to, Math.Min(le, c.Start + c.Length + ContextWindow));
            }
            var around = string.Concat(text.AsSpan(from, c.Start - from), "|", text.AsSpan(c.Start + c.Length, to - c.Start - c.Length));
            if (_p.Declassified.Match(around) is { Success: true } m)
                c.Cap($"declared declassified nearby ({m.Value}); verify the 解密 record", d5.Cap);
        }
    }

    /// <summary>The 密级 label cell of a table makes the cell to its right (or below) the value.</summary>
    private void ScanFieldTables(DetectionInput input, List<MarkingCandidate> output)
    {
        var t = input.Text;
        for (int i = 0; i < t.Segments.Count; i++)
        {
            var loc = t.Segments[i].Location;
            if (loc.Table is null) continue;
            int s = t.SegmentStart(i), e = t.SegmentEnd(i);
            if (!_p.FieldLabelCell.IsMatch(t.Text.AsSpan(s, e - s))) continue;
            for (int j = i + 1; j < Math.Min(t.Segments.Count, i + 64); j++)
            {
                var other = t.Segments[j].Location;
                if (other.Table != loc.Table || other.Container != loc.Container || other.PartName != loc.PartName) continue;
                bool right = other.Row == loc.Row && other.Column == loc.Column + 1;
                bool below = other.Row == loc.Row + 1 && other.Column == loc.Column;
                if (!right && !below) continue;
                int vs = t.SegmentStart(j), ve = t.SegmentEnd(j);
                var v = _p.FieldValueCell.Match(t.Text, vs, ve - vs);
                if (v.Success && !Overlaps(output, 0, vs, ve - vs))
                {
                    var level = v.Groups["level"].Value;
                    bool top = input.IsTopRegion(vs);
                    var c = new MarkingCandidate(_cfg.Field.Id, vs, ve - vs, vs, ve, v.Value.Trim(),
                        top ? "value of a 密级 cell on the cover" : "value of a 密级 cell",
                        top ? _cfg.Field.Scores["top"] : _cfg.Field.Scores["elsewhere"], _cfg.Field.Basis)
                    { Level = level, HasStar = v.Groups["star"].Success, LineAlone = true, InTopRegion = top };
                    ScoreField(input, t.Text, c);
                    output.Add(c);
                }
                break;
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private double S(string key) => _cfg.StateSecret.Scores[key];

    private double M(string key) => _cfg.StateSecret.Modifiers[key];

    private static int EndOf(Group g) => g.Index + g.Length;

    private static string Unspace(string s) => s.Replace(" ", "", StringComparison.Ordinal);

    private static bool Overlaps(List<MarkingCandidate> list, int from, int start, int length)
    {
        for (int i = from; i < list.Count; i++)
            if (start < list[i].Start + list[i].Length && list[i].Start < start + length) return true;
        return false;
    }

    /// <summary>Where two candidates cover the same characters, the stronger one speaks for both.</summary>
    private static IEnumerable<MarkingCandidate> RemoveOverlaps(List<MarkingCandidate> candidates)
    {
        // Candidates never cross a line, so only those of one line can overlap.
        var kept = new List<MarkingCandidate>();
        foreach (var line in candidates.GroupBy(c => c.LineStart))
        {
            int from = kept.Count;
            foreach (var c in line.OrderByDescending(c => c.Final))
                if (!Overlaps(kept, from, c.Start, c.Length)) kept.Add(c);
        }
        return kept.OrderBy(c => c.Start);
    }

    private static int FirstContentIndex(ReadOnlySpan<char> line)
    {
        int i = 0;
        while (i < line.Length && (line[i] is ' ' or '(' or '[' or '【' or '〔')) i++;
        return i;
    }

    private static string? FirstContained(ReadOnlySpan<char> window, List<string> words)
    {
        foreach (var w in words)
            if (window.Contains(w, StringComparison.Ordinal)) return w;
        return null;
    }

    /// <summary>"格式如下：" / "示例：" on the previous line introduces the mark as an example.</summary>
    private string? PreviousLineIntroducesExample(string text, int lineStart)
    {
        if (lineStart < 2) return null;
        int prevEnd = lineStart - 1;
        int prevStart = text.LastIndexOf('\n', prevEnd - 1) + 1;
        var prev = text.AsSpan(prevStart, prevEnd - prevStart).TrimEnd();
        if (prev.IsEmpty || prev[^1] is not (':' or '：')) return null;
        return FirstContained(prev, _cfg.StateSecret.ExampleCues) ?? (prev.Contains("如下", StringComparison.Ordinal) ? "如下" : null);
    }

    /// <summary>The mark sits between an opening quote and its closing partner on the same line (within 30 characters).</summary>
    private bool IsQuoted(ReadOnlySpan<char> line, int start, int end)
    {
        foreach (var pair in _cfg.StateSecret.QuotePairs)
        {
            char open = pair[0], close = pair[1];
            int from = Math.Max(0, start - 30);
            int o = -1;
            if (open == close)
            {
                if (line[..start].Count(open) % 2 == 1) o = line[..start].LastIndexOf(open);
            }
            else
            {
                o = line[from..start].LastIndexOf(open);
                if (o >= 0 && line[(from + o)..start].Contains(close)) o = -1;
            }
            if (o < 0) continue;
            if (line[end..Math.Min(line.Length, end + 30)].Contains(close)) return true;
        }
        return false;
    }

    /// <summary>The line bounds of the given line and up to <paramref name="window"/> lines before and after it.</summary>
    private static List<(int Start, int End)> Neighbourhood(string text, int ls, int le, int window)
    {
        var lines = new List<(int, int)> { (ls, le) };
        int s = ls;
        for (int i = 0; i < window && s > 0; i++)
        {
            int pe = s - 1;
            int ps = pe == 0 ? 0 : text.LastIndexOf('\n', pe - 1) + 1;
            lines.Add((ps, pe));
            s = ps;
        }
        int e = le;
        for (int i = 0; i < window && e < text.Length; i++)
        {
            int ns = e + 1;
            int ne = text.IndexOf('\n', ns);
            if (ne < 0) ne = text.Length;
            lines.Add((ns, ne));
            e = ne;
        }
        return lines;
    }

    private static string Explain(MarkingCandidate c)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"'{c.Mark}' {c.Form}");
        var mods = c.Steps.Skip(1).ToList();
        if (mods.Count > 0)
        {
            sb.Append("; ");
            sb.AppendJoin(", ", mods.Select(s => s.Delta == 0 ? s.Reason : $"{s.Reason} ({s.Delta:+0.00;-0.00})"));
        }
        sb.Append(CultureInfo.InvariantCulture, $"; score {c.Final:0.00}");
        return sb.ToString();
    }
}
