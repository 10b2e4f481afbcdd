using System.Text;
using SecScan.Core.Findings;
using SecScan.Extraction;
using SecScan.Extraction.Text;

namespace SecScan.Tests.Extraction.Text;

public class PlainTextTests
{
    private const string Notice = "000123\n机密★10年\n特急\n关于加强重点项目建设管理工作的通知\n各区人民政府，市政府各委、办、局：\n为进一步规范重点项目建设管理，现将有关事项通知如下。\n";

    static PlainTextTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static TheoryData<string> Encodings() => new() { "utf-8", "utf-8-bom", "utf-16le", "utf-16le-bom", "utf-16be-bom", "gbk", "gb18030", "big5" };

    private static byte[] Encode(string text, string name) => name switch
    {
        "utf-8" => new UTF8Encoding(false).GetBytes(text),
        "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
        "utf-16le" => Encoding.Unicode.GetBytes(text),
        "utf-16le-bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
        "utf-16be-bom" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
        "gbk" => Encoding.GetEncoding(936).GetBytes(text),
        "gb18030" => Encoding.GetEncoding("GB18030").GetBytes(text),
        "big5" => Encoding.GetEncoding("big5").GetBytes(text),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Decodes_every_chinese_encoding(string encoding)
    {
        // Big5 is traditional: write the notice in traditional characters, as a Taiwan or Hong Kong office would.
        string text = encoding == "big5" ? "000123\n機密★10年\n特急\n關於加強重點項目建設管理工作的通知\n各區人民政府：\n為進一步規範重點項目建設管理，現將有關事項通知如下。\n" : Notice;
        var bytes = Encode(text, encoding);
        Assert.Equal(MediaTypes.PlainText, Sniffer.Sniff(new MemoryStream(bytes)));
        var (decoded, _) = TextDecoder.Decode(bytes);
        Assert.Equal(text, decoded);
        var verdict = TestEngine.ScanBytes("notice.txt", bytes);
        Assert.Equal(Decision.Block, verdict.Decision);
        Assert.Equal(2, verdict.Findings[0].Line);
    }

    [Fact]
    public void Decodes_short_gbk_text_that_detectors_find_ambiguous()
    {
        var bytes = Encoding.GetEncoding(936).GetBytes("秘密★1年");
        Assert.Equal("秘密★1年", TextDecoder.Decode(bytes).Text);
    }

    [Fact]
    public void Binary_bytes_are_not_text()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        Assert.Equal(MediaTypes.Unknown, Sniffer.Sniff(new MemoryStream(bytes)));
        var verdict = TestEngine.ScanBytes("blob.txt", bytes);
        Assert.Equal(Decision.Review, verdict.Decision);
        Assert.Contains(verdict.Coverage.Notes, n => n.Kind == Core.Documents.CoverageKind.Unsupported);
    }

    [Fact]
    public void Utf8_with_a_damaged_byte_is_still_read_as_utf8()
    {
        // One byte of a character near the end turned into one that cannot continue it, as a flipped bit does:
        // decoded as GB18030 instead, the whole notice would be mojibake and its marking lost.
        var bytes = new UTF8Encoding(false).GetBytes(Notice + string.Concat(Enumerable.Repeat("现将有关事项通知如下。\n", 4)));
        bytes[^8] = 0x41;
        Assert.False(System.Text.Unicode.Utf8.IsValid(bytes));

        var (text, encoding) = TextDecoder.Decode(bytes);

        Assert.Equal(Encoding.UTF8.CodePage, encoding.CodePage);
        Assert.Contains("机密★10年", text, StringComparison.Ordinal);
        Assert.Equal(Decision.Block, TestEngine.ScanBytes("notice.txt", bytes).Decision);
    }

    [Theory]
    [InlineData("txt-gbk-notice.txt")]
    [InlineData("txt-gb18030-law-article.txt")]
    [InlineData("txt-big5-traditional.txt")]
    public void Gbk_and_big5_are_not_taken_for_damaged_utf8(string sample) =>
        Assert.False(TextDecoder.IsDamagedUtf8(File.ReadAllBytes(TestFiles.Sample(sample))));

    [Fact]
    public void A_utf8_page_with_damaged_bytes_is_still_read_as_utf8()
    {
        // A byte inside two characters away from the marking (in the greeting and a later paragraph) made invalid.
        var bytes = File.ReadAllBytes(TestFiles.Sample("html-hidden-marking.html"));
        foreach (var phrase in new[] { "各区应急管理局", "市有关单位" })
            bytes[bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(phrase)) + 1] = 0x41;
        Assert.False(System.Text.Unicode.Utf8.IsValid(bytes));

        Assert.Equal(Decision.Block, TestEngine.ScanBytes("page.html", bytes).Decision);
    }
}
