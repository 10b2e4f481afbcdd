using NPOI.POIFS.FileSystem;
using SecScan.Core.Documents;

namespace SecScan.Extraction.Ole;

/// <summary>
/// Objects embedded in a compound file as storages of their own — a workbook inserted into a DOC (under
/// <c>ObjectPool</c>), a document attached to an Outlook message — read as child documents: each storage is copied
/// into a compound file of its own (NPOI's <see cref="EntryUtils"/>) and handed to the dispatcher like a file, which
/// routes it by what it holds (a workbook, a document, an OLE package …) and says what it cannot read.
/// </summary>
/// <remarks>
/// Every object takes one member and its bytes from the file's shared budget; an object over the part limit, or
/// past the budget, is a LimitExceeded note, never a silent skip.
/// </remarks>
internal static class OleEmbeddedObjects
{
    /// <summary>The storage under which Word keeps a document's embedded objects, one sub-storage per object.</summary>
    public const string WordObjectPool = "ObjectPool";

    /// <summary>
    /// Reads every sub-storage of Word's <c>ObjectPool</c> as a child document named "ObjectPool/<c>_1234567890</c>",
    /// the path an OLE viewer shows.
    /// </summary>
    public static void ReadWordObjectPool(DirectoryEntry root, OleTextSink sink)
    {
        if (Ole2Extractor.Find(root, WordObjectPool) is DirectoryEntry pool)
            ReadStorages(pool, WordObjectPool + "/", _ => true, sink);
    }

    /// <summary>
    /// Reads the storages an Excel workbook keeps its embedded objects in: one per object at the root of the file,
    /// named <c>MBD</c> and eight hex digits.
    /// </summary>
    public static void ReadExcelObjects(DirectoryEntry root, OleTextSink sink) =>
        ReadStorages(root, "", name => name.StartsWith("MBD", StringComparison.OrdinalIgnoreCase), sink);

    private static void ReadStorages(DirectoryEntry parent, string pathPrefix, Func<string, bool> isObject, OleTextSink sink)
    {
        foreach (var entry in parent)
        {
            sink.Context.CancellationToken.ThrowIfCancellationRequested();
            if (entry is not DirectoryEntry storage || storage.EntryCount == 0 || !isObject(storage.Name)) continue;
            string what = $"embedded object {storage.Name}";
            sink.Guard(what, () => Read(storage, pathPrefix + storage.Name, what, sink));
        }
    }

    /// <summary>
    /// Reads one object stored as <paramref name="storage"/> as the child document <paramref name="name"/>;
    /// <paramref name="what"/> is how notes name it ("attachment 2", "embedded object _1234").
    /// </summary>
    public static void Read(DirectoryEntry storage, string name, string what, OleTextSink sink)
    {
        long size = StorageSize(storage);
        if (size > sink.Context.Limits.MaxPartBytes)
        {
            sink.Note(CoverageKind.LimitExceeded, $"{what} is an embedded object of {size:N0} bytes, over the part limit: not read");
            return;
        }
        if (!Take(sink, size)) return;
        var copy = new POIFSFileSystem();
        EntryUtils.CopyNodes(storage, copy.Root);
        using var bytes = new MemoryStream();
        copy.WriteFileSystem(bytes);
        Child(bytes.ToArray(), name, sink);
    }

    /// <summary>The bytes of every stream under <paramref name="storage"/>.</summary>
    public static long StorageSize(DirectoryEntry storage)
    {
        long total = 0;
        foreach (var entry in storage)
            total += entry switch { DocumentEntry d => d.Size, DirectoryEntry d => StorageSize(d), _ => 0 };
        return total;
    }

    /// <summary>Takes one member and its bytes from the file's shared budget, or notes why not.</summary>
    public static bool Take(OleTextSink sink, long bytes)
    {
        if (sink.Context.Budget.TryTakeMember() && sink.Context.Budget.TryTakeBytes(bytes)) return true;
        sink.Note(CoverageKind.LimitExceeded, "the file's member or expansion budget is spent: further embedded objects and attachments not read");
        return false;
    }

    /// <summary>Extracts <paramref name="bytes"/> through the dispatcher as the child document <paramref name="name"/>.</summary>
    public static void Child(byte[] bytes, string name, OleTextSink sink)
    {
        if (sink.Context.ExtractChild is not { } extract)
        {
            sink.Note(CoverageKind.Unsupported, $"{name} is read only through the dispatcher: not read");
            return;
        }
        using var stream = new MemoryStream(bytes, writable: false);
        sink.Children.Add(extract(stream, name, sink.Context.ForChild(name)));
    }
}
