using SecScan.Core.Engine;

namespace SecScan.Core.Rulesets;

/// <summary>The outcome of one reload attempt.</summary>
/// <param name="Version">The version now in force (the old one when the reload was rejected).</param>
/// <param name="Error">Why the changed ruleset was rejected, or null when it was swapped in.</param>
/// <param name="BuildTime">How long loading and compiling took.</param>
public sealed record RulesetReload(string Version, RulesetException? Error, TimeSpan BuildTime)
{
    public bool Swapped => Error is null;
}

/// <summary>
/// Holds the engine of the ruleset in force and replaces it when the ruleset directory changes: the
/// new ruleset is loaded and compiled in the background and swapped in with one reference write.
/// A scan takes <see cref="Current"/> once and finishes on that engine, so scans in flight complete on
/// the old ruleset. A ruleset that fails to load or compile is rejected: the old one stays in force and
/// <see cref="LastError"/> says why (file, rule and field). Thread-safe.
/// </summary>
public sealed class RulesetHost : IDisposable
{
    /// <summary>Editors write a file in several steps; changes closer together than this make one reload.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(500);

    private readonly string _directory;
    private readonly Func<CompiledRuleset, ScanEngine> _engineFactory;
    private readonly TimeSpan _debounce;
    private readonly Lock _reloadGate = new();
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _timer;
    private volatile ScanEngine _current;
    private volatile RulesetException? _lastError;
    private int _disposed;

    /// <summary>Loads and compiles the ruleset now (throwing if it is broken) and, if asked, watches its directory.</summary>
    /// <exception cref="RulesetException">The initial ruleset cannot be loaded: there is nothing to fall back on.</exception>
    public RulesetHost(string directory, Func<CompiledRuleset, ScanEngine> engineFactory, bool watch = true, TimeSpan? debounce = null)
    {
        _directory = Path.GetFullPath(directory);
        _engineFactory = engineFactory;
        _debounce = debounce ?? DefaultDebounce;
        _current = engineFactory(Ruleset.Load(_directory).Compile());
        _timer = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        if (watch)
        {
            _watcher = new FileSystemWatcher(_directory) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName };
            _watcher.Changed += OnChange;
            _watcher.Created += OnChange;
            _watcher.Deleted += OnChange;
            _watcher.Renamed += OnChange;
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>The engine of the ruleset in force. Take it once per scan.</summary>
    public ScanEngine Current => _current;

    /// <summary>Why the last reload was rejected, or null when the last reload succeeded.</summary>
    public RulesetException? LastError => _lastError;

    /// <summary>Raised after every reload attempt, on a background thread.</summary>
    public event Action<RulesetReload>? Reloaded;

    /// <summary>
    /// Loads and compiles the directory now and swaps the result in; on failure keeps the old engine.
    /// Reloads are serialized; scans are never blocked.
    /// </summary>
    public RulesetReload Reload()
    {
        RulesetReload result;
        lock (_reloadGate)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var engine = _engineFactory(Ruleset.Load(_directory).Compile());
                _current = engine;
                _lastError = null;
                result = new RulesetReload(engine.Ruleset.Info.Version, null, clock.Elapsed);
            }
            catch (RulesetException ex)
            {
                _lastError = ex;
                result = new RulesetReload(_current.Ruleset.Info.Version, ex, clock.Elapsed);
            }
            catch (Exception ex)
            {
                // A file caught mid-write (the next change event retries), or a compile failure: either way
                // the old ruleset stays, and a reload on a timer thread must never bring the process down.
                var error = new RulesetException(_directory, null, null, $"could not load the ruleset: {ex.GetType().Name}: {ex.Message}", ex);
                _lastError = error;
                result = new RulesetReload(_current.Ruleset.Info.Version, error, clock.Elapsed);
            }
        }
        Reloaded?.Invoke(result);
        return result;
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        if (Volatile.Read(ref _disposed) == 0) _timer.Change(_debounce, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _watcher?.Dispose();
        _timer.Dispose();
    }
}
