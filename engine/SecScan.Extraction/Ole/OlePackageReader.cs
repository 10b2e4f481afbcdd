using System.Text;
using NPOI.POIFS.FileSystem;
using SecScan.Core.Documents;
using SecScan.Extraction.Text;

namespace SecScan.Extraction.Ole;

/// <summary>
/// An OLE 1.0 "Package" object: a file dropped into a Word, Excel or PowerPoint document (or attached to a
/// mail) as an icon. Its <c>\u0001Ole10Native</c> stream holds the file's label, original path and bytes; NPOI's
/// <see cref="Ole10Native"/> parses it, the packaged file becomes a child document read through the dispatcher,
/// and the label, which the reader sees under the icon, is text too (a file name such as "（机密）方案.txt").
/// </summary>
internal static class OlePackageReader
{
    public const string NativeStream = "\u0001Ole10Native";

    public static void Read(DirectoryEntry root, OleTextSink sink)
    {
        var native = Ole10Native.CreateFromEmbeddedOleObject((DirectoryNode)root);
        string label = Recover(native.Label);
        string name = Path.GetFileName(Recover(native.FileName).Replace('\\', '/'));
        if (name.Length == 0) name = label.Length > 0 ? label : "packaged file";
        sink.Emit(label, sink.Context.At(SegmentPart.FileName));
        if (!string.Equals(name, label, StringComparison.Ordinal)) sink.Emit(name, sink.Context.At(SegmentPart.FileName));

        var data = native.DataBuffer ?? [];
        if (OleEmbeddedObjects.Take(sink, data.Length)) OleEmbeddedObjects.Child(data, name, sink);
    }

    /// <summary>
    /// The Packager writes label and path in the system's ANSI code page (GBK on Chinese Windows); NPOI reads them
    /// one byte per character. Those bytes are decoded again as text of unknown Chinese encoding.
    /// </summary>
    private static string Recover(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        foreach (char c in value)
            if (c > 0xFF) return value;   // already real characters
        var bytes = Encoding.Latin1.GetBytes(value);
        return TextDecoder.Decode(bytes).Text.TrimEnd('\0');
    }
}
