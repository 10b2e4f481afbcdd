using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

namespace SecScan.Benchmarks;

/// <summary>
/// <c>--docx-ab OTHER_BIN DIR [--seconds S] [--from-memory]</c>: two builds of the extractor in one process, pass for pass. On a
/// shared machine the load changes from one minute to the next, so two rate runs a minute apart can differ by 30 %
/// for the same code; here passes of build A and build B alternate (A B B A …) over the same files from disk, so
/// both see the same load. Each build is loaded from its own folder into its own <see cref="AssemblyLoadContext"/>
/// and called the way the rate mode calls it (<c>DocumentExtractor.CreateDefault().Extract(ScanSource.FromFile(f),
/// ScanLimits.Default, none)</c>). Prints files/s from wall time and from the process's CPU time for each build
/// and the ratio B / A; "this" is the build next to this program, "other" the folder given. With
/// <c>--from-memory</c> the files are read once and handed over as bytes (<c>ScanSource.FromBytes</c>), which
/// leaves file I/O out.
/// </summary>
internal static class DocxAB
{
    public static int Run(string otherBin, string directory, double seconds, bool fromMemory)
    {
        var files = BenchData.Files(directory, "*.docx");
        var builds = new[] { new Build("other", otherBin, fromMemory), new Build("this", AppContext.BaseDirectory, fromMemory) };
        // Warm-up until the JIT is idle: both builds' code at its final tier (see RateLoop.WarmUp).
        var (warmedFor, steady) = RateLoop.WarmUp(() => { foreach (var b in builds) b.Pass(files); }, 5);
        foreach (var b in builds) b.ResetTimes();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up {warmedFor:F0} s{(steady ? "" : ", NOT STEADY")}"));
        int round = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds || round < 4)
        {
            // A B, then B A: neither build always runs first after the other's garbage.
            var first = builds[round % 2];
            var second = builds[1 - round % 2];
            first.Pass(files);
            second.Pass(files);
            round++;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{files.Length} files, {round} passes each, load {File.ReadAllText("/proc/loadavg").Trim()}"));
        Console.WriteLine("| build | files/s (wall) | best pass files/s | files per CPU-second |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var b in builds)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {b.Name} ({b.Folder}) | {b.Files / b.Wall.TotalSeconds:F1} | {files.Length / b.BestPass.TotalSeconds:F1} | {b.Files / b.Cpu.TotalSeconds:F1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RATIO this/other wall {builds[0].Wall / builds[1].Wall:F3} cpu {builds[0].Cpu / builds[1].Cpu:F3}"));
        return 0;
    }

    private sealed class Build
    {
        private readonly object _extractor;
        private readonly MethodInfo _extract;
        private readonly MethodInfo _fromFile;
        private readonly object _limits;
        private readonly bool _fromMemory;
        private readonly Dictionary<string, byte[]> _bytes = [];

        public Build(string name, string folder, bool fromMemory)
        {
            _fromMemory = fromMemory;
            Name = name;
            Folder = folder;
            var context = new FolderLoadContext(folder);
            var extraction = context.LoadFromAssemblyPath(Path.Combine(folder, "SecScan.Extraction.dll"));
            var core = context.LoadFromAssemblyPath(Path.Combine(folder, "SecScan.Core.dll"));
            var dispatcher = extraction.GetType("SecScan.Extraction.DocumentExtractor", throwOnError: true)!;
            _extractor = dispatcher.GetMethod("CreateDefault", Type.EmptyTypes)!.Invoke(null, null)!;
            var source = core.GetType("SecScan.Core.Documents.ScanSource", throwOnError: true)!;
            var limits = core.GetType("SecScan.Core.Documents.ScanLimits", throwOnError: true)!;
            _fromFile = fromMemory ? source.GetMethod("FromBytes")! : source.GetMethod("FromFile")!;
            _limits = limits.GetProperty("Default")!.GetValue(null)!;
            _extract = dispatcher.GetMethod("Extract", [source, limits, typeof(CancellationToken)])!;
        }

        public string Name { get; }
        public string Folder { get; }
        public long Files { get; private set; }
        public TimeSpan Wall { get; private set; }
        public TimeSpan Cpu { get; private set; }
        public TimeSpan BestPass { get; private set; } = TimeSpan.MaxValue;

        private byte[] Bytes(string file)
        {
            if (!_bytes.TryGetValue(file, out var bytes)) _bytes[file] = bytes = File.ReadAllBytes(file);
            return bytes;
        }

        public void ResetTimes()
        {
            (Files, Wall, Cpu, BestPass) = (0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.MaxValue);
        }

        public void Pass(string[] files)
        {
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            foreach (var f in files)
            {
                var source = _fromMemory
                    ? _fromFile.Invoke(null, [f, Path.GetFileName(f), new ReadOnlyMemory<byte>(Bytes(f)), "publish"])
                    : _fromFile.Invoke(null, [f, "publish"]);
                _extract.Invoke(_extractor, [source, _limits, CancellationToken.None]);
            }
            var wall = clock.Elapsed;
            process.Refresh();
            Wall += wall;
            Cpu += process.TotalProcessorTime - cpu;
            Files += files.Length;
            if (wall < BestPass) BestPass = wall;
        }
    }

    /// <summary>Resolves a build's own assemblies from its folder; the framework's come from the default context.</summary>
    private sealed class FolderLoadContext(string folder) : AssemblyLoadContext(isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            string path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
