namespace SecScan.Core.Extraction;

/// <summary>Text that may leave memory (coverage notes, logs, reports) must not quote the document.</summary>
public static class SafeText
{
    /// <summary>
    /// The exception's type, with its message only when that is short printable ASCII: parsers echo
    /// malformed tokens of the document in their messages, and those may be secret Chinese text.
    /// </summary>
    public static string Of(Exception ex)
    {
        var message = ex.Message;
        bool ascii = message.Length <= 200 && !message.AsSpan().ContainsAnyExceptInRange((char)0x20, (char)0x7E);
        return ascii ? $"{ex.GetType().Name}: {message}" : ex.GetType().Name;
    }
}
