using System.Text;
using NPOI.POIFS.FileSystem;

namespace SecScan.CorpusGen;

/// <summary>
/// OLE 1.0 packages (a file inserted into an Office document or a mail as an icon, Insert › Object › Package),
/// written with NPOI's <see cref="Ole10Native"/>. The test suite links this file to build variants in memory.
/// </summary>
public static class OlePackageSamples
{
    /// <summary>
    /// An OLE2 file holding one OLE 1.0 package, as Word stores an object inserted with the Packager. Label and
    /// path go through NPOI one byte per character, so they are passed as GBK bytes read as Latin-1.
    /// </summary>
    public static byte[] OlePackage(string label, string originalPath, byte[] data)
    {
        var gbk = CodePagesEncodingProvider.Instance.GetEncoding(936)!;
        string Bytes(string s) => Encoding.Latin1.GetString(gbk.GetBytes(s));
        var native = new Ole10Native(Bytes(label), Bytes(originalPath), Bytes(originalPath), data);
        using var nativeBytes = new MemoryStream();
        native.WriteOut(nativeBytes);
        var fs = new POIFSFileSystem();
        fs.CreateDocument(new MemoryStream(nativeBytes.ToArray()), "\u0001Ole10Native");
        using var output = new MemoryStream();
        fs.WriteFileSystem(output);
        return output.ToArray();
    }
}
