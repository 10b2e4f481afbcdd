using System.Buffers.Binary;
using System.Text;
using NPOI.POIFS.FileSystem;

namespace SecScan.Extraction.Ole;

/// <summary>
/// OLE 1.0 objects as RTF's <c>\objdata</c> holds them ([MS-OLEDS] 2.2.4 EmbeddedObject): OLEVersion, FormatID
/// (2 for an embedded object, 1 for a linked one), ClassName, TopicName and ItemName as length-prefixed ANSI
/// strings, then NativeDataSize and NativeData. Every length is checked against the data.
/// </summary>
internal static class Ole1Object
{
    private const uint Embedded = 2;

    /// <summary>The class name and native data of an embedded object; false, with why, for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out string className, out byte[] native, out string? problem)
    {
        className = "";
        native = [];
        int at = 8;
        if (data.Length < at) return Fail("shorter than an OLE 1.0 object header", out problem);
        uint format = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (format != Embedded)
            return Fail(format == 1 ? "a linked object: its data is in another file" : $"unknown OLE 1.0 format {format}", out problem);
        if (!TryString(data, ref at, out className) || !TryString(data, ref at, out _) || !TryString(data, ref at, out _))
            return Fail("a name runs past the end of the data", out problem);
        if (data.Length - at < 4) return Fail("no native data size", out problem);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);
        at += 4;
        if (size > data.Length - at) return Fail($"native data of {size:N0} bytes declared, {data.Length - at:N0} present", out problem);
        native = data.Slice(at, (int)size).ToArray();
        problem = null;
        return true;
    }

    /// <summary>
    /// A compound file holding an OLE package's native data as its <c>\u0001Ole10Native</c> stream (the stream is
    /// the data after a 4-byte size), so that the package is read like one embedded in an Office file.
    /// </summary>
    public static byte[] PackageCompoundFile(byte[] native)
    {
        var stream = new byte[native.Length + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(stream, (uint)native.Length);
        native.CopyTo(stream, 4);
        var fs = new POIFSFileSystem();
        fs.CreateDocument(new MemoryStream(stream), OlePackageReader.NativeStream);
        using var output = new MemoryStream();
        fs.WriteFileSystem(output);
        return output.ToArray();
    }

    private static bool TryString(ReadOnlySpan<byte> data, ref int at, out string value)
    {
        value = "";
        if (data.Length - at < 4) return false;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);
        at += 4;
        if (length > data.Length - at) return false;
        value = Encoding.Latin1.GetString(data.Slice(at, (int)length)).TrimEnd('\0');
        at += (int)length;
        return true;
    }

    private static bool Fail(string why, out string? problem)
    {
        problem = why;
        return false;
    }
}
