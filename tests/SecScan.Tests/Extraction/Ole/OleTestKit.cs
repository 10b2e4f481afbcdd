using NPOI.POIFS.FileSystem;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction;
using SecScan.Extraction.Ole;

namespace SecScan.Tests.Extraction.Ole;

/// <summary>Reading samples with the OLE2 extractor alone, and rewriting one stream of an OLE2 file.</summary>
internal static class OleTestKit
{
    public static ExtractedDocument Read(string sample)
    {
        using var stream = File.OpenRead(TestFiles.Sample(sample));
        return Read(stream, sample);
    }

    public static ExtractedDocument Read(Stream stream, string name)
    {
        var context = new ExtractionContext(name, name, ScanLimits.Default, 0, CancellationToken.None);
        return new Ole2Extractor().Extract(stream, context);
    }

    /// <summary>Reads through the dispatcher, so children (attachments) are extracted too.</summary>
    public static ExtractedDocument ReadAll(byte[] bytes, string name) =>
        DocumentExtractor.CreateDefault().Extract(ScanSource.FromBytes(name, name, bytes), ScanLimits.Default, CancellationToken.None);

    public static TextSegment Single(ExtractedDocument doc, string text) =>
        Assert.Single(doc.Segments, s => s.Text.Contains(text, StringComparison.Ordinal));

    /// <summary>The sample with one root stream's bytes replaced by <paramref name="change"/> of them.</summary>
    public static byte[] WithStream(string sample, string streamName, Func<byte[], byte[]> change)
    {
        POIFSFileSystem fs;
        using (var input = File.OpenRead(TestFiles.Sample(sample))) fs = new POIFSFileSystem(input);
        var entry = (DocumentEntry)fs.Root.GetEntry(streamName);
        var bytes = new byte[entry.Size];
        using (var s = new DocumentInputStream(entry)) s.ReadFully(bytes);
        ((DirectoryNode)fs.Root).DeleteEntry((EntryNode)entry);
        fs.Root.CreateDocument(streamName, new MemoryStream(change(bytes)));
        using var output = new MemoryStream();
        fs.WriteFileSystem(output);
        return output.ToArray();
    }
}
