using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction.OpenXml;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace SecScan.Tests.Extraction.OpenXml;

public class Utf8XmlScannerTests
{
    private const string WNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// <summary>Every token as text: "&lt;W:p", "&gt;W:p", "'text'", so that a test reads like the markup.</summary>
    private static List<string> Tokens(string xml, bool truncated = false)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        var scanner = new Utf8XmlScanner(bytes, new XmlScanState(), truncated);
        var tokens = new List<string>();
        var chars = new char[2];   // the smallest destination: decoding must resume across chunks
        while (scanner.Read())
        {
            switch (scanner.Token)
            {
                case XmlToken.StartElement:
                    tokens.Add($"<{scanner.Namespace}:{Encoding.UTF8.GetString(scanner.LocalName)}{(scanner.IsEmptyElement ? "/" : "")}@{scanner.Depth}");
                    break;
                case XmlToken.EndElement:
                    tokens.Add($">{scanner.Namespace}:{Encoding.UTF8.GetString(scanner.LocalName)}@{scanner.Depth}");
                    break;
                default:
                    var text = new StringBuilder();
                    for (int consumed = 0; consumed < scanner.RawText.Length;) text.Append(chars, 0, scanner.DecodeText(ref consumed, chars));
                    tokens.Add($"'{text}'");
                    break;
            }
        }
        return tokens;
    }

    private static string Texts(string xml) => string.Concat(Tokens(xml).Where(t => t.StartsWith('\'')).Select(t => t[1..^1]));

    [Fact]
    public void Predefined_entities_and_character_references_are_expanded()
    {
        Assert.Equal("<a>&'\"", Texts("<r>&lt;a&gt;&amp;&apos;&quot;</r>"));
        Assert.Equal("A密\t", Texts("<r>&#65;&#x5BC6;&#9;</r>"));
    }

    [Fact]
    public void Astral_character_references_become_surrogate_pairs()
    {
        Assert.Equal("\U0001F600𠀀", Texts("<r>&#x1F600;&#131072;</r>"));
        Assert.Equal("\U0001F600", Texts("<r>\U0001F600</r>"));
    }

    [Theory]
    [InlineData("<r>&nbsp;</r>")]
    [InlineData("<r>&#0;</r>")]
    [InlineData("<r>&#xD800;</r>")]
    [InlineData("<r>&#x110000;</r>")]
    [InlineData("<r>&#x;</r>")]
    [InlineData("<r>&amp</r>")]
    public void Undeclared_entities_and_illegal_references_are_malformed(string xml) =>
        Assert.Throws<XmlException>(() => Tokens(xml));

    [Fact]
    public void CDATA_is_literal_and_comments_and_processing_instructions_are_skipped()
    {
        var tokens = Tokens("<?xml version=\"1.0\"?><!-- <r>no</r> --><r><?pi <x>?>a<![CDATA[<b>&amp;]]>c<!-- d --></r>");
        Assert.Equal(["<None:r@0", "'a'", "'<b>&amp;'", "'c'", ">None:r@0"], tokens);
    }

    [Fact]
    public void Line_ends_are_normalized_as_an_XML_processor_does()
    {
        Assert.Equal("a\nb\nc\rd", Texts("<r>a\r\nb\rc&#13;d</r>"));
    }

    [Fact]
    public void WordprocessingML_is_recognized_by_its_namespace_whatever_the_prefix()
    {
        var tokens = Tokens($"<ns0:document xmlns:ns0='{WNs}'><ns0:body><ns0:p/></ns0:body></ns0:document>");
        Assert.Equal(["<W:document@0", "<W:body@1", "<W:p/@2", ">W:body@1", ">W:document@0"], tokens);

        // The default namespace, a prefix rebound on an inner element, and "w:" bound to something else.
        Assert.Equal(["<W:document@0", "<Other:p@1", ">Other:p@1", ">W:document@0"],
            Tokens($"<document xmlns=\"{WNs}\"><w:p xmlns:w=\"urn:not-word\"></w:p></document>"));
        // A namespace URI written with character references is the same URI.
        Assert.Equal("<W:p/@0", Tokens("<w:p xmlns:w=\"http:&#x2F;&#47;schemas.openxmlformats.org/wordprocessingml/2006/main\"/>")[0]);
    }

    [Fact]
    public void Attributes_in_single_or_double_quotes_are_read_with_references_expanded()
    {
        var bytes = Encoding.UTF8.GetBytes($"<w:vanish xmlns:w='{WNs}' w:val='&#48;' other=\"x'y\"/>");
        var scanner = new Utf8XmlScanner(bytes, new XmlScanState());
        Assert.True(scanner.Read());
        Span<char> value = stackalloc char[8];
        Assert.True(scanner.TryGetAttribute(XmlNs.W, "val"u8, value, out int length));
        Assert.Equal("0", value[..length].ToString());
        Assert.True(scanner.TryGetAttribute(XmlNs.None, "other"u8, value, out length));
        Assert.Equal("x'y", value[..length].ToString());
        Assert.False(scanner.TryGetAttribute(XmlNs.None, "val"u8, value, out _));   // w:val is not the unprefixed val
    }

    [Theory]
    [InlineData("<a><b></a></b>")]
    [InlineData("<a><b></b>")]
    [InlineData("<a></a><b/>")]
    [InlineData("<x:a/>")]
    [InlineData("<a b=c/>")]
    [InlineData("<a b='<'/>")]
    [InlineData("<a b='1'c='2'/>")]
    [InlineData("text<a/>")]
    [InlineData("<a><!-- never closed </a>")]
    [InlineData("<a><![CDATA[never closed</a>")]
    public void Malformed_markup_throws_an_XmlException(string xml) =>
        Assert.Throws<XmlException>(() => Tokens(xml));

    [Fact]
    public void Invalid_UTF8_in_text_is_malformed()
    {
        var scanner = new Utf8XmlScanner(new byte[] { (byte)'<', (byte)'a', (byte)'>', 0xC3, 0x28, (byte)'<', (byte)'/', (byte)'a', (byte)'>' }, new XmlScanState());
        Assert.True(scanner.Read());
        Assert.True(scanner.Read());
        var chars = new char[16];
        int consumed = 0;
        try
        {
            scanner.DecodeText(ref consumed, chars);
            Assert.Fail("decoded invalid UTF-8");
        }
        catch (XmlException)
        {
        }
    }

    [Fact]
    public void A_DOCTYPE_is_refused_as_XmlReader_refuses_it()
    {
        var ex = Assert.Throws<XmlException>(() => Tokens("<?xml version='1.0'?>\n<!DOCTYPE r [<!ENTITY a 'b'>]><r>&a;</r>"));
        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.LineNumber);
        Assert.Contains("DTDs are prohibited", OoxmlPackage.Describe(ex), StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_part_is_malformed_unless_the_cut_is_known()
    {
        const string cut = "<r><p>one</p><p>tw";
        Assert.Throws<XmlException>(() => Tokens(cut));
        // Text cut by the limit is dropped (it may end inside a character); complete tags before it are read.
        Assert.Equal(["<None:r@0", "<None:p@1", "'one'", ">None:p@1", "<None:p@1"], Tokens(cut, truncated: true));
        Assert.Equal(["<None:r@0", "<None:p@1"], Tokens("<r><p><q a='1", truncated: true));
    }

    [Fact]
    public void Skip_passes_over_an_element_and_everything_inside_it()
    {
        var bytes = Encoding.UTF8.GetBytes("<r><skip><a>x</a><b/></skip><keep>y</keep></r>");
        var scanner = new Utf8XmlScanner(bytes, new XmlScanState());
        Assert.True(scanner.Read());
        Assert.True(scanner.Read());
        scanner.Skip();
        Assert.True(scanner.Read());
        Assert.Equal("keep", Encoding.UTF8.GetString(scanner.LocalName));
    }

    private static readonly XmlNameSet SkipStops = new("p", "r", "vanish");

    /// <summary>
    /// Reads <paramref name="xml"/>, trying <see cref="Utf8XmlScanner.TrySkipContent"/> on every non-empty
    /// element named "skip"; the tokens as <see cref="Tokens"/> gives them, a skipped element as "&lt;skip … &gt;skip".
    /// </summary>
    private static List<string> TokensSkipping(string xml, bool truncated = false)
    {
        var scanner = new Utf8XmlScanner(Encoding.UTF8.GetBytes(xml), new XmlScanState(), truncated);
        var tokens = new List<string>();
        while (scanner.Read())
        {
            string local = Encoding.UTF8.GetString(scanner.LocalName);
            if (scanner.Token == XmlToken.StartElement)
            {
                tokens.Add($"<{local}{(scanner.IsEmptyElement ? "/" : "")}@{scanner.Depth}");
                if (local == "skip" && scanner.TrySkipContent(SkipStops))
                {
                    Assert.Equal((XmlToken.EndElement, "skip"), (scanner.Token, Encoding.UTF8.GetString(scanner.LocalName)));
                    tokens.Add($"…>{local}@{scanner.Depth}");
                }
            }
            else if (scanner.Token == XmlToken.EndElement) tokens.Add($">{local}@{scanner.Depth}");
            else tokens.Add($"'{Encoding.UTF8.GetString(scanner.RawText)}'");
        }
        return tokens;
    }

    [Fact]
    public void TrySkipContent_passes_nested_elements_of_the_same_name_to_the_matching_end_tag()
    {
        Assert.Equal(["<r@0", "<skip@1", "…>skip@1", "<after/@1", ">r@0"],
            TokensSkipping("<r><skip><skip a='1'><skip/></skip><b>x</b></skip><after/></r>"));
    }

    [Fact]
    public void TrySkipContent_takes_quoted_angle_brackets_comments_CDATA_and_PIs_for_what_they_are()
    {
        // A '>' in a value does not end the tag, and a "/>" in a value does not make it empty.
        Assert.Equal(["<r@0", "<skip@1", "…>skip@1", ">r@0"],
            TokensSkipping("<r><skip><x v='a>b' w=\"/>\"><y/></x></skip></r>"));
        // Markup-like text inside comments, CDATA sections and PIs is not markup: "</skip>" there ends nothing.
        Assert.Equal(["<r@0", "<skip@1", "…>skip@1", ">r@0"],
            TokensSkipping("<r><skip><!-- </skip> <p> --><![CDATA[</skip><p>]]><?pi </skip>?></skip></r>"));
    }

    [Theory]
    [InlineData("<r><skip><a><p>text</p></a></skip></r>")]          // a stop name (here in no namespace) inside
    [InlineData("<r><skip><w:vanish xmlns:w='urn:x'/></skip></r>")] // a stop name with a prefix declared inside
    [InlineData("<r><skip><q:a xmlns:q='urn:x'/></skip></r>")]      // a prefix declared inside the subtree
    [InlineData("<r><skip><a xmlns='urn:x'><b/></a></skip></r>")]   // a default namespace declared inside it
    public void TrySkipContent_gives_up_on_a_stop_name_or_a_binding_it_would_have_to_track(string xml)
    {
        var tokens = TokensSkipping(xml);
        Assert.DoesNotContain("…>skip@1", tokens);
        Assert.Equal(Tokens(xml).Count, tokens.Count);   // then read token by token, exactly as without the skip
    }

    [Theory]
    [InlineData("<r><skip><a></b></skip></r>")]                  // mismatched end tag inside
    [InlineData("<r><skip><a v='<'/></skip></r>")]               // '<' in a value
    [InlineData("<r><skip><x:a/></skip></r>")]                   // undeclared prefix
    [InlineData("<r><skip><!DOCTYPE r></skip></r>")]             // a DTD
    [InlineData("<r><skip><!-- never closed </skip></r>")]
    [InlineData("<r><skip><![CDATA[ never closed </skip></r>")]
    [InlineData("<r><skip><a>")]                                 // the part ends inside the subtree
    [InlineData("<r><skip><a v='1")]                             // … inside a tag
    [InlineData("<r><skip><a v=1/></skip></r>")]                 // attribute syntax: an unquoted value
    [InlineData("<r><skip><a v='1'w='2'/></skip></r>")]          // … no space between attributes
    [InlineData("<r><skip><a v/></skip></r>")]                   // … no '='
    [InlineData("<r><skip><a/ ></skip></r>")]                    // '/' not followed by '>'
    [InlineData("<r><skip><a:/></skip></r>")]                    // an element name ending in ':'
    public void Malformed_markup_inside_a_skipped_subtree_is_rejected_as_without_the_skip(string xml)
    {
        var without = Assert.Throws<XmlException>(() => Tokens(xml));
        var with = Assert.Throws<XmlException>(() => TokensSkipping(xml));
        Assert.Equal((without.Message, without.LineNumber, without.LinePosition), (with.Message, with.LineNumber, with.LinePosition));
    }

    /// <summary>
    /// Names, colons, values and end tags land at every offset of the scanner's 16-byte blocks and at the end of
    /// the input: the block paths must find the same name ends and first colons as a byte loop, and reject damage
    /// at the same position.
    /// </summary>
    [Fact]
    public void Names_values_and_end_tags_read_the_same_at_every_offset_and_length()
    {
        for (int pad = 0; pad < 17; pad++)
            for (int prefixLength = 1; prefixLength < 20; prefixLength += 3)
                for (int localLength = 1; localLength < 36; localLength++)
                {
                    string prefix = new('q', prefixLength), local = new('n', localLength), value = new('v', localLength);
                    string open = $"<r xmlns:{prefix}='{WNs}'>{new(' ', pad)}<{prefix}:{local} a:b{local}='{value}' c=\"{value}>\"/>";
                    string element = $"<{prefix}:{local}>x</{prefix}:{local}>";
                    Assert.Equal(["<None:r@0", $"<W:{local}/@1", $"<W:{local}@1", "'x'", $">W:{local}@1", ">None:r@0"],
                        Tokens(open + element + "</r>").Where(t => !t.StartsWith("' ", StringComparison.Ordinal)).ToList());
                    Assert.Equal(["<r@0", "<skip@1", "…>skip@1", ">r@0"],
                        TokensSkipping($"<r xmlns:{prefix}='{WNs}'><skip>{new(' ', pad)}{element}<{prefix}:{local} a='{value}'/></skip></r>"));

                    // An end tag one byte longer than the open name, or cut short by the end of the input.
                    string wrong = open + $"<{prefix}:{local}></{prefix}:{local}x></r>";
                    var ex = Assert.Throws<XmlException>(() => Tokens(wrong));
                    Assert.Equal(wrong.IndexOf("</", StringComparison.Ordinal) + 1, ex.LinePosition);
                    string cut = open + $"<{prefix}:{local}></{prefix}:{local}";
                    ex = Assert.Throws<XmlException>(() => Tokens(cut));
                    Assert.Equal(cut.LastIndexOf("</", StringComparison.Ordinal) + 1, ex.LinePosition);
                    Assert.Equal(["<None:r@0", $"<W:{local}/@1", $"<W:{local}@1"],
                        Tokens(cut, truncated: true).Where(t => !t.StartsWith("' ", StringComparison.Ordinal)).ToList());
                }
    }

    [Fact]
    public void A_truncated_part_cut_inside_a_skipped_subtree_ends_quietly_after_the_tags_before_the_cut()
    {
        // The skip gives up at the cut, and the full reader reads the complete tags before it.
        Assert.Equal(["<r@0", "<skip@1", "<a@2", "<b/@3"], TokensSkipping("<r><skip><a><b/><c v='x", truncated: true));
        Assert.Equal(["<r@0", "<skip@1", "<a@2"], TokensSkipping("<r><skip><a>te", truncated: true));
    }

    [Fact]
    public void Repeated_content_is_skipped_to_the_same_end_as_the_first()
    {
        // The second and fourth skips repeat the bytes before them; the third differs by one byte.
        const string Block = "<a v='1'><b/></a><c/>";
        Assert.Equal(["<r@0", "<skip@1", "…>skip@1", "<skip@1", "…>skip@1", "<skip@1", "…>skip@1", "<skip@1", "…>skip@1", "<t@1", "'x'", ">t@1", ">r@0"],
            TokensSkipping($"<r><skip>{Block}</skip><skip>{Block}</skip><skip>{Block.Replace('1', '2')}</skip><skip>{Block.Replace('1', '2')}</skip><t>x</t></r>"));
        // Content that starts like the last one and goes on is walked to its own end; a stop after the common start is found.
        Assert.Equal(["<r@0", "<skip@1", "…>skip@1", "<skip@1", "…>skip@1", "<t@1", "'x'", ">t@1", ">r@0"],
            TokensSkipping($"<r><skip>{Block}</skip><skip>{Block}<d/></skip><t>x</t></r>"));
        Assert.Equal(["<r@0", "<skip@1", "…>skip@1", "<skip@1", "<a@2", "<b/@3", ">a@2", "<c/@2", "<p@2", ">p@2", ">skip@1", ">r@0"],
            TokensSkipping($"<r><skip>{Block}</skip><skip>{Block}<p></p></skip></r>"));
    }

    [Fact]
    public void Repeated_content_whose_prefix_is_no_longer_declared_is_rejected_as_without_the_skip()
    {
        // The first x:a is in the scope of xmlns:x, the second, byte for byte the same content, is not.
        const string Xml = "<r><q xmlns:x='urn:x'><skip><x:a/></skip></q><skip><x:a/></skip></r>";
        var without = Assert.Throws<XmlException>(() => Tokens(Xml));
        var with = Assert.Throws<XmlException>(() => TokensSkipping(Xml));
        Assert.Equal((without.Message, without.LineNumber, without.LinePosition), (with.Message, with.LineNumber, with.LinePosition));
    }

    [Fact]
    public void Repeated_content_is_walked_again_for_other_stops_or_another_element()
    {
        var bytes = Encoding.UTF8.GetBytes("<r><skip><a/></skip><skip><a/></skip><other><a/></other></r>");
        var scanner = new Utf8XmlScanner(bytes, new XmlScanState());
        Assert.True(scanner.Read() && scanner.Read());
        Assert.True(scanner.TrySkipContent(SkipStops));
        Assert.True(scanner.Read());
        // The same bytes again, but "a" is a stop now: no skip, and the reader goes on token by token.
        Assert.False(scanner.TrySkipContent(new XmlNameSet("a")));
        Assert.True(scanner.Read());
        Assert.Equal((XmlToken.StartElement, "a"), (scanner.Token, Encoding.UTF8.GetString(scanner.LocalName)));
        Assert.True(scanner.Read() && scanner.Read());
        Assert.Equal((XmlToken.StartElement, "other"), (scanner.Token, Encoding.UTF8.GetString(scanner.LocalName)));
        Assert.True(scanner.TrySkipContent(SkipStops));
        Assert.Equal((XmlToken.EndElement, "other", 1), (scanner.Token, Encoding.UTF8.GetString(scanner.LocalName), scanner.Depth));
    }

    [Fact]
    public void A_document_that_binds_WordprocessingML_to_ns0_reads_like_one_that_uses_w()
    {
        const string xml = $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <ns0:document xmlns:ns0='{WNs}'><ns0:body>
            <ns0:p><ns0:r><ns0:t>机密&#x2605;10年</ns0:t></ns0:r></ns0:p>
            <ns0:p><ns0:r><ns0:rPr><ns0:vanish/></ns0:rPr><ns0:t>隐藏</ns0:t></ns0:r><ns0:del><ns0:r><ns0:delText>删除</ns0:delText></ns0:r></ns0:del></ns0:p>
            </ns0:body></ns0:document>
            """;
        var doc = ReadWithDocumentXml(xml);

        Assert.Equal(("机密★10年", SegmentPart.Body, 1), (doc.Segments[0].Text, doc.Segments[0].Location.Part, doc.Segments[0].Location.Paragraph));
        Assert.Contains(doc.Segments, s => s.Text == "隐藏" && s.Location.Part == SegmentPart.HiddenText);
        Assert.Contains(doc.Segments, s => s.Text == "删除" && s.Location.Part == SegmentPart.TrackedDeletion);
        Assert.Empty(doc.Coverage);
    }

    [Fact]
    public void A_malformed_document_part_keeps_the_text_before_the_damage_and_the_other_parts()
    {
        const string xml = $"<w:document xmlns:w='{WNs}'><w:body><w:p><w:r><w:t>第一段</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:r></w:p></w:body></w:document>";
        var doc = ReadWithDocumentXml(xml);

        Assert.Contains(doc.Segments, s => s.Text == "第一段" && s.Location.Part == SegmentPart.Body);
        var note = Assert.Single(doc.Coverage, n => n.Kind == CoverageKind.Corrupt);
        Assert.Equal("/word/document.xml", note.Location?.PartName);
        Assert.DoesNotContain("第二段", note.Message, StringComparison.Ordinal);
        Assert.Contains(doc.Segments, s => s.Location.Part == SegmentPart.Comment);   // the comments part is still read
    }

    /// <summary>The comment-marking sample with its word/document.xml replaced.</summary>
    private const string Custom = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
    private const string Vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";

    // The kind as a string: OoxmlRun.PropertyKind is internal, and theory parameters are public.
    public static TheoryData<string, string> PropertyParts => new()
    {
        { $"<Properties xmlns='{Custom}' xmlns:vt='{Vt}'><property fmtid='x' pid='2' name='密级'><vt:lpwstr>机密★10年</vt:lpwstr></property></Properties>", "Custom" },
        // Pretty-printed: whitespace-only text between elements is left out, inside a value it is kept.
        { $"<Properties xmlns='{Custom}' xmlns:vt='{Vt}'>\n  <property name='a'>\n    <vt:lpwstr> x  y </vt:lpwstr>\n  </property>\n</Properties>", "Custom" },
        { $"<Properties xmlns='{Custom}' xmlns:vt='{Vt}'><property name='v'><vt:vector><vt:lpwstr>a</vt:lpwstr> <vt:lpwstr>b</vt:lpwstr></vt:vector></property></Properties>", "Custom" },
        { $"<Properties xmlns='{Custom}' xmlns:vt='{Vt}' xml:space='preserve'><property name='v'><vt:lpwstr>a</vt:lpwstr> <vt:lpwstr>b</vt:lpwstr></property></Properties>", "Custom" },
        { $"<Properties xmlns='{Custom}' xmlns:vt='{Vt}'><property name='c'><![CDATA[ <秘密> ]]>&amp;&#x5BC6;</property><property><vt:lpwstr>no name</vt:lpwstr></property><property x:name='p' xmlns:x='urn:x'>prefixed</property></Properties>", "Custom" },
        { $"<Properties xmlns='{Custom}'><property name='{new string('长', 300)}'>long name</property><property name='e'/><property name='  '>x</property></Properties>", "Custom" },
        { "<cp:coreProperties xmlns:cp='urn:cp' xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:title>标题</dc:title><dc:creator>\r\n作者\r\n</dc:creator><cp:keywords/><other>x</other><dc:subject><b>深</b>处</dc:subject></cp:coreProperties>", "Core" },
        { "<Properties xmlns='urn:app'><Company>某单位</Company><Manager><!-- c -->某人</Manager><Pages>3</Pages></Properties>", "Extended" },
    };

    [Theory]
    [MemberData(nameof(PropertyParts))]
    public void Properties_read_by_the_scanner_are_those_XmlReader_gives(string xml, string kindName)
    {
        var kind = Enum.Parse<OoxmlRun.PropertyKind>(kindName);
        var bytes = Encoding.UTF8.GetBytes(xml);
        var context = new ExtractionContext("t.docx", "t.docx", ScanLimits.Default, 0, default);
        var byReader = new OoxmlRun(context, tolerantPackage: true);
        byReader.ReadProperties("/docProps/x.xml", () => new MemoryStream(bytes), kind);
        var byScanner = new OoxmlRun(context, tolerantPackage: true);
        var scanner = new Utf8XmlScanner(bytes, new XmlScanState());
        byScanner.ReadPropertyElements(ref scanner, kind);

        Assert.Empty(byReader.Coverage);
        Assert.NotEmpty(byReader.Segments);
        Assert.Equal(byReader.Segments, byScanner.Segments);
    }

    private static ExtractedDocument ReadWithDocumentXml(string documentXml)
    {
        using var stream = new MemoryStream();
        stream.Write(File.ReadAllBytes(TestFiles.Sample(TestFiles.DocxCommentMarking)));
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry("word/document.xml")!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("word/document.xml").Open(), new UTF8Encoding(false));
            writer.Write(documentXml);
        }
        stream.Position = 0;
        return new DocxExtractor().Extract(stream, new ExtractionContext("t.docx", "t.docx", ScanLimits.Default, 0, default));
    }
}
