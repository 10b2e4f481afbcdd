using SecScan.Core.Findings;
using SecScan.Core.Policy;

namespace SecScan.Core.Evaluation;

/// <summary>One labelled document of an evaluation corpus (a row of <c>labels.tsv</c>).</summary>
/// <param name="File">Path relative to the corpus directory.</param>
/// <param name="Expected">The decision a reviewer expects.</param>
/// <param name="Category">The genre or category the document stands for (news, marked-notice, customer-list …).</param>
/// <param name="Split"><c>tune</c> (may be looked at while tuning) or <c>holdout</c> (never looked at).</param>
/// <param name="Rules">Rule ids expected to fire at review or stricter; empty when not stated.</param>
public sealed record LabelledDocument(string File, Decision Expected, string Category, string Split, IReadOnlyList<string> Rules);

/// <summary>
/// Reads <c>DIR/labels.tsv</c>: a header line, then tab-separated <c>file, expected, category, split</c>
/// and an optional comma-separated list of expected rule ids. Lines starting with <c>#</c> are comments.
/// </summary>
public static class LabelledCorpus
{
    public const string LabelsFile = "labels.tsv";

    /// <exception cref="FormatException">A line is malformed; the message names the line.</exception>
    /// <exception cref="FileNotFoundException">The directory has no labels.tsv.</exception>
    public static List<LabelledDocument> Read(string directory)
    {
        var path = Path.Combine(directory, LabelsFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"no {LabelsFile} in {directory}", path);
        var docs = new List<LabelledDocument>();
        int n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (n == 1 || string.IsNullOrWhiteSpace(line) || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            if (f.Length < 4) throw new FormatException($"{LabelsFile} line {n}: expected file, expected, category, split (tab-separated)");
            if (!VerdictPolicy.TryParse(f[1].Trim(), out var expected))
                throw new FormatException($"{LabelsFile} line {n}: '{f[1]}' is not allow, review or block");
            var split = f[3].Trim();
            if (split is not ("tune" or "holdout")) throw new FormatException($"{LabelsFile} line {n}: split '{split}' is not tune or holdout");
            var rules = f.Length > 4 && f[4].Trim() is { Length: > 0 } r && r != "-"
                ? r.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            docs.Add(new LabelledDocument(f[0].Trim(), expected, f[2].Trim(), split, rules));
        }
        return docs;
    }
}
