using SecScan.Core.Findings;

namespace SecScan.Cli;

/// <summary>Exit status: the worst decision (0 allow, 1 review, 2 block), or a sysexits-style failure.</summary>
public static class ExitCodes
{
    public const int Allow = 0;
    public const int Review = 1;
    public const int Block = 2;

    /// <summary>EX_USAGE: bad arguments, a missing path, an unknown channel or a broken ruleset.</summary>
    public const int Usage = 64;

    /// <summary>EX_SOFTWARE: a bug in SecScan itself.</summary>
    public const int Internal = 70;

    public static int For(Decision d) => (int)d;
}
