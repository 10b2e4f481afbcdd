namespace SecScan.Extraction;

internal static class Magic
{
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
    public static ReadOnlySpan<byte> Utf16LeBom => [0xFF, 0xFE];
    public static ReadOnlySpan<byte> Utf16BeBom => [0xFE, 0xFF];
    public static ReadOnlySpan<byte> Ole2Magic => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    public static ReadOnlySpan<byte> SevenZipMagic => [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C];
    /// <summary>"Rar!\x1A\x07": RAR 4 continues with 0x00, RAR 5 with 0x01 0x00.</summary>
    public static ReadOnlySpan<byte> RarMagic => [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07];
    public static ReadOnlySpan<byte> GZipMagic => [0x1F, 0x8B, 0x08];
    public static ReadOnlySpan<byte> XzMagic => [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00];
    /// <summary>bzip2 block magic (BCD pi) and end-of-stream magic (BCD sqrt pi), after "BZh1".."BZh9".</summary>
    public static ReadOnlySpan<byte> BZip2BlockMagic => [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
    public static ReadOnlySpan<byte> BZip2EndMagic => [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];
}
