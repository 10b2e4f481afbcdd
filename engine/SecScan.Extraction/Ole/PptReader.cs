using System.Buffers.Binary;
using System.Text;
using NPOI.POIFS.FileSystem;
using SecScan.Core.Documents;

namespace SecScan.Extraction.Ole;

/// <summary>
/// PowerPoint 97–2003 presentations ([MS-PPT]), read by hand: NPOI has no PowerPoint support. The
/// "PowerPoint Document" stream is a tree of records; text lives in TextCharsAtom (UTF-16LE) and TextBytesAtom
/// (one byte per character, the low byte of UTF-16) records, either inside a slide's drawing or in the
/// document's SlideListWithText. Slides are numbered by their order in that list; a notes page is tied to its
/// slide through NotesAtom.slideIdRef. Notes text is <see cref="SegmentPart.SpeakerNotes"/>, master text
/// <see cref="SegmentPart.Header"/> (it repeats on every slide), header/footer strings <see cref="SegmentPart.Footer"/>.
/// Embedded objects (ExOleObjStg records, each a compound file) are child documents "embedded object N (slide S)", the
/// slide found through the ExObjRefAtom in its drawing and the object list's ExOleObjAtom.
/// </summary>
/// <remarks>
/// Hostile input: every record length is checked against its parent, nesting is bounded, and the walk is linear
/// in the stream size (each record consumes at least its 8-byte header). A record that does not fit stops that
/// container with a Corrupt note; text read before it is kept.
/// </remarks>
internal static class PptReader
{
    // [MS-PPT] 2.13.24 RecordType.
    private const ushort RtDocument = 0x03E8, RtSlide = 0x03EE, RtSlideAtom = 0x03EF, RtNotes = 0x03F0, RtNotesAtom = 0x03F1,
        RtSlidePersistAtom = 0x03F3, RtMainMaster = 0x03F8, RtTextCharsAtom = 0x0FA0, RtTextBytesAtom = 0x0FA8,
        RtCString = 0x0FBA, RtHeadersFooters = 0x0FD9, RtSlideListWithText = 0x0FF0, RtPersistDirectoryAtom = 0x1772,
        RtCryptSession10Container = 0x2F14, RtExOleObjStg = 0x1011, RtExObjList = 0x0409, RtExOleEmbed = 0x0FCC,
        RtExOleObjAtom = 0x0FC3, RtExObjRefAtom = 0x0BC1;

    /// <summary>[MS-PPT] 2.3.1 RecordHeader: recVer 0xF marks a container.</summary>
    private const int ContainerVersion = 0xF, HeaderSize = 8;

    /// <summary>Deeper nesting than any real presentation; bounds recursion on hostile input.</summary>
    private const int MaxDepth = 32;

    private const int RecordsPerCancellationCheck = 4096;

    private readonly record struct Record(ushort Type, int Instance, bool IsContainer, int Offset, int Start, int Length)
    {
        public int End => Start + Length;
    }

    public static void Read(DirectoryEntry root, OleTextSink sink)
    {
        if (Ole2Extractor.Find(root, "EncryptedSummary") is not null)
        {
            sink.Note(CoverageKind.Encrypted, "password-protected PPT presentation: contents not read");
            return;
        }
        if (Ole2Extractor.Find(root, "PowerPoint Document") is not DocumentEntry entry)
        {
            sink.Note(CoverageKind.Corrupt, "PPT has no PowerPoint Document stream");
            return;
        }
        var data = Ole2Extractor.ReadStream(entry, sink, "the PowerPoint Document stream");
        if (data is null) return;
        new Walker(data, sink).Run();
        // Pictures live in their own stream ([MS-PPT] 2.1.3 Pictures Stream); they are images we do not read.
        if (Ole2Extractor.Find(root, "Pictures") is DocumentEntry { Size: > 0 } pictures)
            sink.Note(CoverageKind.ImagesNotInspected, $"pictures ({pictures.Size:N0} bytes) not inspected");
    }

    private sealed class Walker(byte[] data, OleTextSink sink)
    {
        private readonly List<Record> _top = [];
        private readonly Dictionary<uint, int> _persist = [];
        private readonly Dictionary<int, int> _slideByOffset = [];
        private readonly Dictionary<uint, int> _slideById = [];
        private readonly SortedDictionary<int, List<(SegmentPart Part, string Text)>> _slides = [];
        private readonly List<(SegmentPart Part, string Text, string Name)> _other = [];
        private int _records;
        private bool _damaged;
        private bool _encrypted;
        private HashSet<int>? _live;
        // Embedded objects: the stream offset of each object's ExOleObjStg by exObjId, and the slide showing it.
        private readonly Dictionary<uint, int> _objectOffsetById = [];
        private readonly Dictionary<int, int> _slideOfObject = [];

        public void Run()
        {
            // Top level: the DocumentContainer, slides, notes, masters, and the persist directories of every save.
            foreach (var r in Children(0, data.Length))
            {
                _top.Add(r);
                if (r.Type == RtPersistDirectoryAtom) ReadPersistDirectory(r);
            }
            _live = _persist.Count == 0 ? null : [.. _persist.Values];
            int document = _top.FindLastIndex(r => r.Type == RtDocument && Live(r));
            if (document >= 0) ReadDocument(_top[document]);
            if (_encrypted)
            {
                sink.Note(CoverageKind.Encrypted, "password-protected PPT presentation: contents not read");
                return;
            }

            int ordinal = 0;
            var objects = new List<Record>();
            foreach (var r in _top)
            {
                if (r.Type == RtExOleObjStg && !r.IsContainer && Live(r)) objects.Add(r);
                if (!r.IsContainer || !Live(r)) continue;
                switch (r.Type)
                {
                    case RtSlide:
                        ordinal++;
                        int slide = _slideByOffset.TryGetValue(r.Offset, out var n) ? n : ordinal;
                        foreach (var text in Texts(r, 1)) Add(slide, SegmentPart.Body, text);
                        foreach (var id in ObjectReferences(r, 1))
                            if (_objectOffsetById.TryGetValue(id, out int at)) _slideOfObject.TryAdd(at, slide);
                        break;
                    case RtNotes:
                        int? of = NotesSlide(r);
                        foreach (var text in Texts(r, 1))
                            if (of is { } s) Add(s, SegmentPart.SpeakerNotes, text);
                            else _other.Add((SegmentPart.SpeakerNotes, text, "notes"));
                        break;
                    case RtMainMaster:
                        foreach (var text in Texts(r, 1)) _other.Add((SegmentPart.Header, text, "master"));
                        break;
                }
            }
            Emit();
            for (int i = 0; i < objects.Count; i++)
            {
                var r = objects[i];
                string what = _slideOfObject.TryGetValue(r.Offset, out int slide) ? $"embedded object {i + 1} (slide {slide})" : $"embedded object {i + 1}";
                sink.Guard(what, () => ReadObject(r, what));
            }
        }

        /// <summary>The exObjId of every ExObjRefAtom in a slide's drawing: the embedded objects shown on it.</summary>
        private IEnumerable<uint> ObjectReferences(Record container, int depth)
        {
            foreach (var r in Children(container.Start, container.End))
            {
                if (r.IsContainer && depth < MaxDepth)
                    foreach (var id in ObjectReferences(r, depth + 1)) yield return id;
                else if (r.Type == RtExObjRefAtom && r.Length >= 4)
                    yield return BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(r.Start));
            }
        }

        /// <summary>
        /// [MS-PPT] 2.10.34 ExOleObjStg: an embedded object's storage as a compound file, zlib-compressed after a
        /// 4-byte decompressed size when recInstance is 1. It becomes a child document <paramref name="what"/>
        /// ("embedded object N (slide S)", N in stream order), read through the dispatcher like a file; its size is
        /// taken from the file's budget first.
        /// </summary>
        private void ReadObject(Record r, string what)
        {
            byte[] bytes;
            if (r.Instance == 1)
            {
                if (r.Length < 4) throw new InvalidDataException("compressed object storage without its size");
                uint size = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(r.Start));
                if (size > sink.Context.Limits.MaxPartBytes || size > Array.MaxLength)
                {
                    sink.Note(CoverageKind.LimitExceeded, $"{what} declares {size:N0} bytes, over the part limit: not read");
                    return;
                }
                if (!OleEmbeddedObjects.Take(sink, size)) return;
                bytes = new byte[size];
                using var inflate = new System.IO.Compression.ZLibStream(new MemoryStream(data, r.Start + 4, r.Length - 4, writable: false),
                    System.IO.Compression.CompressionMode.Decompress);
                int read = inflate.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
                if (read < bytes.Length) throw new InvalidDataException($"the compressed storage holds {read:N0} of the {size:N0} bytes it declares");
            }
            else
            {
                if (!OleEmbeddedObjects.Take(sink, r.Length)) return;
                bytes = data.AsSpan(r.Start, r.Length).ToArray();
            }
            OleEmbeddedObjects.Child(bytes, what, sink);
        }

        /// <summary>
        /// A record is live when no persist directory exists (a minimal or damaged file) or when a persist
        /// directory points at it: incremental saves leave superseded copies of slides behind in the stream.
        /// The DocumentContainer and masters are always referenced too.
        /// </summary>
        private bool Live(Record r) => _live is null || _live.Contains(r.Offset);

        /// <summary>[MS-PPT] 2.3.6 PersistDirectoryAtom: entries of (persistId:20 bits, cPersist:12 bits) then cPersist offsets. Later saves override.</summary>
        private void ReadPersistDirectory(Record r)
        {
            int at = r.Start;
            while (at + 4 <= r.End)
            {
                uint head = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));
                uint id = head & 0xFFFFF, count = head >> 20;
                at += 4;
                for (uint i = 0; i < count && at + 4 <= r.End; i++, at += 4)
                {
                    uint offset = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));
                    if (offset < data.Length) _persist[id + i] = (int)offset;
                }
            }
        }

        /// <summary>
        /// The DocumentContainer's SlideListWithText lists ([MS-PPT] 2.4.14.3): instance 0 holds the slides in
        /// presentation order, each a SlidePersistAtom (persistIdRef at 0, slideId at 12) followed by the text of
        /// its placeholders; instance 2 lists the notes pages. HeadersFooters strings are footers.
        /// </summary>
        private void ReadDocument(Record document)
        {
            foreach (var child in Children(document.Start, document.End))
            {
                if (child.Type == RtCryptSession10Container) _encrypted = true;
                if (child.Type == RtHeadersFooters) foreach (var text in Texts(child, 2, includeCStrings: true)) _other.Add((SegmentPart.Footer, text, "header/footer"));
                if (child.Type == RtExObjList) ReadObjectList(child);
                if (child.Type != RtSlideListWithText || child.Instance != 0) continue;
                int slide = 0;
                foreach (var r in Children(child.Start, child.End))
                {
                    if (r.Type == RtSlidePersistAtom && r.Length >= 16)
                    {
                        slide++;
                        uint persistId = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(r.Start));
                        uint slideId = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(r.Start + 12));
                        _slideById[slideId] = slide;
                        if (_persist.TryGetValue(persistId, out var offset)) _slideByOffset[offset] = slide;
                    }
                    else if (slide > 0 && AtomText(r) is { } text)
                        Add(slide, SegmentPart.Body, text);
                }
            }
        }

        /// <summary>
        /// [MS-PPT] 2.10.1 ExObjListContainer: each ExOleEmbedContainer's ExOleObjAtom gives the object's exObjId (at 8)
        /// and the persist id of its ExOleObjStg (at 16).
        /// </summary>
        private void ReadObjectList(Record list)
        {
            foreach (var embed in Children(list.Start, list.End))
            {
                if (embed.Type != RtExOleEmbed || !embed.IsContainer) continue;
                foreach (var atom in Children(embed.Start, embed.End))
                {
                    if (atom.Type != RtExOleObjAtom || atom.Length < 24) continue;
                    uint id = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(atom.Start + 8));
                    uint persistId = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(atom.Start + 16));
                    if (_persist.TryGetValue(persistId, out int offset)) _objectOffsetById[id] = offset;
                }
            }
        }

        /// <summary>[MS-PPT] NotesAtom: slideIdRef (the slideId of the slide these notes belong to) at offset 0.</summary>
        private int? NotesSlide(Record notes)
        {
            foreach (var r in Children(notes.Start, notes.End))
                if (r.Type == RtNotesAtom && r.Length >= 4)
                    return _slideById.TryGetValue(BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(r.Start)), out var s) ? s : null;
            return null;
        }

        private void Add(int slide, SegmentPart part, string text)
        {
            if (!_slides.TryGetValue(slide, out var list)) _slides[slide] = list = [];
            // The same placeholder text can be stored both in the list and in the slide's drawing.
            if (!list.Contains((part, text))) list.Add((part, text));
        }

        private void Emit()
        {
            foreach (var (slide, texts) in _slides)
            {
                int body = 0, notes = 0;
                foreach (var (part, text) in texts)
                    foreach (var paragraph in text.Split('\r'))
                    {
                        int n = part == SegmentPart.SpeakerNotes ? ++notes : ++body;
                        sink.Emit(Clean(paragraph), sink.Context.At(part) with { Slide = slide, Paragraph = n });
                    }
            }
            foreach (var (part, text, name) in _other)
                foreach (var paragraph in text.Split('\r'))
                    sink.Emit(Clean(paragraph), sink.Context.At(part) with { PartName = name });
            if (_damaged) sink.Note(CoverageKind.Corrupt, "PPT record structure is damaged: text after the damage was not read");
        }

        /// <summary>0x0B is a line break inside a paragraph; other control characters are field and object anchors.</summary>
        private static string Clean(string s)
        {
            if (!s.AsSpan().ContainsAnyInRange('\0', '\u001F')) return s;
            var sb = new StringBuilder(s.Length);
            foreach (char c in s)
                if (c == '\u000B') sb.Append('\n');
                else if (c == '\t' || c >= ' ') sb.Append(c);
            return sb.ToString();
        }

        /// <summary>Every text atom below a container, depth first.</summary>
        private IEnumerable<string> Texts(Record container, int depth, bool includeCStrings = false)
        {
            foreach (var r in Children(container.Start, container.End))
            {
                if (r.IsContainer)
                {
                    if (depth < MaxDepth)
                        foreach (var t in Texts(r, depth + 1, includeCStrings)) yield return t;
                    else _damaged = true;
                }
                else if (AtomText(r) is { } text) yield return text;
                else if (includeCStrings && r.Type == RtCString) yield return Encoding.Unicode.GetString(data, r.Start, r.Length & ~1);
            }
        }

        /// <summary>[MS-PPT] TextCharsAtom (UTF-16LE) and TextBytesAtom (low bytes of UTF-16, i.e. Latin-1).</summary>
        private string? AtomText(Record r) => r.Type switch
        {
            RtTextCharsAtom => Encoding.Unicode.GetString(data, r.Start, r.Length & ~1),
            RtTextBytesAtom => Encoding.Latin1.GetString(data, r.Start, r.Length),
            _ => null,
        };

        /// <summary>The records directly inside [start, end); stops (and marks damage) at a header or length that does not fit.</summary>
        private IEnumerable<Record> Children(int start, int end)
        {
            int at = start;
            while (at + HeaderSize <= end)
            {
                if (++_records % RecordsPerCancellationCheck == 0) sink.Context.CancellationToken.ThrowIfCancellationRequested();
                ushort verInstance = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at));
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + 2));
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 4));
                if (length > (uint)(end - at - HeaderSize))
                {
                    _damaged = true;
                    yield break;
                }
                yield return new Record(type, verInstance >> 4, (verInstance & 0xF) == ContainerVersion, at, at + HeaderSize, (int)length);
                at += HeaderSize + (int)length;
            }
            // A few trailing bytes shorter than a header are padding; anything else was consumed above.
        }
    }
}
