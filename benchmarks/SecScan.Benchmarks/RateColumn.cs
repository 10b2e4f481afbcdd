using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SecScan.Benchmarks;

/// <summary>
/// Work per second from the mean time of one operation: MB/s of UTF-8 text, PDF pages/s, DOCX files/s.
/// The amount of work per operation is computed in the host process from the same data files.
/// </summary>
internal sealed class RateColumn : IColumn
{
    private readonly Dictionary<Type, (double Amount, string Unit)?> _work = [];

    public string Id => nameof(RateColumn);
    public string ColumnName => "Rate";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => false;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Work per second from the mean: MB/s (10^6 bytes of UTF-8 text), pages/s or files/s";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        var work = Work(benchmarkCase.Descriptor.Type);
        if (stats is null || work is null) return "-";
        double seconds = stats.Mean / 1e9;
        return string.Create(CultureInfo.InvariantCulture, $"{work.Value.Amount / seconds:N1} {work.Value.Unit}");
    }

    private (double Amount, string Unit)? Work(Type type)
    {
        if (_work.TryGetValue(type, out var known)) return known;
        (double, string)? w = type.Name switch
        {
            nameof(NormalizeAndMarkingsBenchmarks) => (NormalizeAndMarkingsBenchmarks.CorpusBytes() / 1e6, "MB/s"),
            nameof(DetectorBenchmarks) => (NormalizeAndMarkingsBenchmarks.CorpusBytes() / 1e6, "MB/s"),
            nameof(PdfExtractionBenchmarks) => (BenchData.PdfPages(PdfExtractionBenchmarks.Inputs()), "pages/s"),
            nameof(DocxExtractionBenchmarks) => (DocxExtractionBenchmarks.Inputs().Length, "files/s"),
            nameof(Keywords.KeywordMatcherBenchmarks) => (Keywords.KeywordMatcherBenchmarks.CorpusBytes() / 1e6, "MB/s"),
            _ => null,
        };
        _work[type] = w;
        return w;
    }

    public override string ToString() => ColumnName;
}
