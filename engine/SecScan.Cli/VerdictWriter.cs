using System.Globalization;
using SecScan.Core.Findings;
using SecScan.Core.Policy;

namespace SecScan.Cli;

/// <summary>One result model, several writers: JSON (an object for one file, an array for many), JSON Lines, text.</summary>
internal abstract class VerdictWriter(TextWriter output)
{
    protected TextWriter Output { get; } = output;

    public abstract void Begin();

    public abstract void Write(Verdict verdict);

    public abstract void End();

    public static VerdictWriter Create(string format, TextWriter output, bool single) => format switch
    {
        "jsonl" => new JsonLinesWriter(output),
        "text" => new TextVerdictWriter(output),
        _ => new JsonWriter(output, single),
    };

    private sealed class JsonWriter(TextWriter output, bool single) : VerdictWriter(output)
    {
        private bool _first = true;

        public override void Begin()
        {
            if (!single) Output.WriteLine("[");
        }

        public override void Write(Verdict verdict)
        {
            if (!single && !_first) Output.WriteLine(",");
            _first = false;
            Output.Write(VerdictJson.Serialize(verdict));
            if (single) Output.WriteLine();
        }

        public override void End()
        {
            if (!single) Output.WriteLine(_first ? "]" : "\n]");
        }
    }

    private sealed class JsonLinesWriter(TextWriter output) : VerdictWriter(output)
    {
        public override void Begin() { }

        public override void Write(Verdict verdict) => Output.WriteLine(VerdictJson.Serialize(verdict, indented: false));

        public override void End() { }
    }

    private sealed class TextVerdictWriter(TextWriter output) : VerdictWriter(output)
    {
        public override void Begin() { }

        public override void Write(Verdict v)
        {
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{VerdictPolicy.Name(v.Decision).ToUpperInvariant(),-7}{v.Source}"));
            foreach (var f in v.Findings)
            {
                var line = f.Line is { } l ? $" line {l}" : "";
                Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"       {f.Confidence:0.00} {f.Rule} at {f.Location}{line}"));
                Output.WriteLine($"            {f.Explanation}");
            }
            foreach (var n in v.Coverage.Notes)
                Output.WriteLine($"       not read ({CoverageKinds.Name(n.Kind)}): {n.Message}{(n.Location is null ? "" : " at " + n.Location)}");
        }

        public override void End() { }
    }
}
