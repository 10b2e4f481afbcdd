using System.Text;
using SecScan.Extraction.Pdf;
using UglyToad.PdfPig.Core;

namespace SecScan.Tests.Extraction.Pdf;

/// <summary>
/// <see cref="PdfRawObjects"/>: plain objects are read, and everything else (malformed, truncated, hostile, or
/// simply not plain) gives false without throwing, so that PdfPig reads it instead.
/// </summary>
public class PdfRawObjectsTests
{
    private static readonly IndirectReference Five = new(5, 0);

    private static (byte[] File, Dictionary<IndirectReference, XrefLocation> Offsets) At(string text, long offset = 0) =>
        (Encoding.Latin1.GetBytes(text), new() { [Five] = XrefLocation.File(offset) });

    [Fact]
    public void A_plain_dictionary_is_read_with_its_last_repeated_key()
    {
        var (file, offsets) = At("5 0 obj\n<< /DW 1000 /W [ 0 [ 500 -1.5 ] 3 9 250 ] /FontDescriptor 7 0 R /DW 900 /S (a(b)\\)) /H <0A> /N null /T true >>\nendobj");

        Assert.True(PdfRawObjects.TryReadObject(file, offsets, Five, out var dictionary));
        Assert.Equal(PdfRawKind.Dictionary, dictionary.Kind);
        Assert.True(PdfRawObjects.TryGet(file, dictionary, "DW"u8, out var dw));
        Assert.True(PdfRawObjects.TryNumber(file, dw, out var width));
        Assert.Equal(900m, width);
        Assert.True(PdfRawObjects.TryGet(file, dictionary, "FontDescriptor"u8, out var descriptor));
        Assert.Equal((PdfRawKind.Reference, new IndirectReference(7, 0)), (descriptor.Kind, descriptor.Reference));
        Assert.True(PdfRawObjects.TryGet(file, dictionary, "W"u8, out var w));
        var kinds = new List<PdfRawKind>();
        int at = 0;
        while (PdfRawObjects.TryNext(file, w, ref at, out var item)) kinds.Add(item.Kind);
        Assert.Equal([PdfRawKind.Number, PdfRawKind.Array, PdfRawKind.Number, PdfRawKind.Number, PdfRawKind.Number], kinds);
        Assert.False(PdfRawObjects.TryGet(file, dictionary, "Missing"u8, out _));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1000", "1000")]
    [InlineData("-1002", "-1002")]
    [InlineData("+17", "17")]
    [InlineData("5.", "5")]
    [InlineData(".5", "0.5")]
    [InlineData("-.25", "-0.25")]
    [InlineData("556.125", "556.125")]
    [InlineData("123456789012345678901", "123456789012345678901")]
    public void Numbers_have_the_values_of_their_decimal_text(string text, string expected)
    {
        var (file, offsets) = At($"5 0 obj {text} endobj");

        Assert.True(PdfRawObjects.TryReadObject(file, offsets, Five, out var value));
        Assert.True(PdfRawObjects.TryNumber(file, value, out var number));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), number);
    }

    [Theory]
    [InlineData("5 0 obj << /W [ 1 [ 2 3")] // truncated
    [InlineData("5 0 obj << /W 1 >>")] // no endobj
    [InlineData("5 0 obj << /Length 3 >> stream\nabc\nendstream endobj")] // a stream is PdfPig's
    [InlineData("6 0 obj << /W 1 >> endobj")] // the table points at another object
    [InlineData("5 1 obj << /W 1 >> endobj")] // another generation
    [InlineData("5 0 obj << /W#20x 1 >> endobj")] // escaped name
    [InlineData("5 0 obj << /W 12abc >> endobj")] // not a number
    [InlineData("5 0 obj << /W --1 >> endobj")]
    [InlineData("5 0 obj << /W 1.2.3 >> endobj")]
    [InlineData("5 0 obj << /W - >> endobj")]
    [InlineData("5 0 obj << /W 12345678901234567890123456789 >> endobj")] // past decimal's 28 digits
    [InlineData("5 0 obj << /W (unterminated >> endobj")]
    [InlineData("5 0 obj << /W <0A >> endobj")]
    [InlineData("5 0 obj << 1 2 >> endobj")] // a key that is not a name
    [InlineData("5 0 obj << /W ] >> endobj")]
    [InlineData("5 0 obj << /W bogus >> endobj")]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5 0")]
    [InlineData("5 0 ob")]
    public void Anything_but_a_plain_object_is_left_to_PdfPig(string text)
    {
        var (file, offsets) = At(text);
        Assert.False(PdfRawObjects.TryReadObject(file, offsets, Five, out _));
    }

    [Fact]
    public void Offsets_outside_the_file_and_objects_in_object_streams_are_left_to_PdfPig()
    {
        var file = "5 0 obj << >> endobj"u8.ToArray();
        Assert.False(PdfRawObjects.TryReadObject(file, new Dictionary<IndirectReference, XrefLocation> { [Five] = XrefLocation.File(file.Length) }, Five, out _));
        Assert.False(PdfRawObjects.TryReadObject(file, new Dictionary<IndirectReference, XrefLocation> { [Five] = XrefLocation.File(-1) }, Five, out _));
        Assert.False(PdfRawObjects.TryReadObject(file, new Dictionary<IndirectReference, XrefLocation> { [Five] = XrefLocation.Stream(9, 0) }, Five, out _));
        Assert.False(PdfRawObjects.TryReadObject(file, new Dictionary<IndirectReference, XrefLocation>(), Five, out _));
    }

    [Fact]
    public void Deep_nesting_is_refused_not_recursed_into()
    {
        var (file, offsets) = At("5 0 obj " + new string('[', 100_000) + new string(']', 100_000) + " endobj");
        Assert.False(PdfRawObjects.TryReadObject(file, offsets, Five, out _));
        (file, offsets) = At("5 0 obj " + string.Concat(Enumerable.Repeat("<< /A ", 100_000)) + " endobj");
        Assert.False(PdfRawObjects.TryReadObject(file, offsets, Five, out _));
    }
}
