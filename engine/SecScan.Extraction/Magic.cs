namespace SecScan.Extraction;

internal static class Magic
{
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
    public static ReadOnlySpan<byte> Utf16LeBom => [0xFF, 0xFE];
    public static ReadOnlySpan<byte> Utf16BeBom => [0xFE, 0xFF];
    public static ReadOnlySpan<byte> Ole2Magic => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
}
