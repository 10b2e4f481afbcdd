using SecScan.Core.Extraction;

namespace SecScan.Tests.Extraction;

public class SafeTextTests
{
    [Fact]
    public void Keeps_ascii_messages_and_drops_ones_that_quote_the_document()
    {
        Assert.Equal("InvalidDataException: bad header", SafeText.Of(new InvalidDataException("bad header")));
        Assert.Equal("XmlException", SafeText.Of(new System.Xml.XmlException("Unexpected token '机密★10年关于项目'")));
    }

    [Fact]
    public void Coverage_notes_of_a_broken_docx_carry_no_document_text()
    {
        // A DOCX whose document.xml breaks off in the middle of a secret sentence.
        var bytes = File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxFirstLineMarking));
        var verdict = TestEngine.ScanBytes("cut.docx", bytes[..(bytes.Length * 2 / 3)]);
        Assert.NotEmpty(verdict.Coverage.Notes);
        foreach (var note in verdict.Coverage.Notes)
            Assert.DoesNotContain("机密", note.Message, StringComparison.Ordinal);
    }
}
