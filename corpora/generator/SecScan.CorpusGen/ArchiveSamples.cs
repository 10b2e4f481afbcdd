using System.IO.Compression;
using System.Text;

namespace SecScan.CorpusGen;

/// <summary>
/// Archive samples written with .NET's ZipArchive. Names are written in GBK without the UTF-8 flag, as
/// Windows Explorer and WinRAR on Chinese Windows write them. Archives made with the zip and tar command-line
/// tools come from corpora/tools/make-archive-samples.sh.
/// </summary>
internal static class ArchiveSamples
{
    static ArchiveSamples() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static IEnumerable<(string File, Action<string> Write)> All() =>
    [
        ("zip-gbk-names.zip", GbkNames),
    ];

    /// <summary>附件.docx (header 秘密★1年) and 说明.txt, both named in GBK.</summary>
    private static void GbkNames(string path)
    {
        var docx = Path.GetTempFileName();
        try
        {
            DocxSamples.SecretHeader(docx);
            using var file = File.Create(path);
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: false, entryNameEncoding: Encoding.GetEncoding("GBK"));
            var written = new DateTimeOffset(2024, 3, 15, 9, 0, 0, TimeSpan.FromHours(8));
            var entry = zip.CreateEntry("附件.docx");
            entry.LastWriteTime = written;
            using (var s = entry.Open()) s.Write(File.ReadAllBytes(docx));
            var note = zip.CreateEntry("说明.txt");
            note.LastWriteTime = written;
            using (var s = note.Open()) s.Write(Encoding.GetEncoding("GBK").GetBytes("附件为2024年度重点项目推进情况通知，请查收。\r\n"));
        }
        finally
        {
            File.Delete(docx);
        }
    }
}
