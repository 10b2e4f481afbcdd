using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.CustomProperties;
using DocumentFormat.OpenXml.ExtendedProperties;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.VariantTypes;
using DocumentFormat.OpenXml.Wordprocessing;

namespace SecScan.CorpusGen;

/// <summary>
/// The DOCX samples written with the OpenXml SDK. Each is a small but complete Word document with
/// ordinary Chinese prose around the one feature it exercises; expected decisions are in corpora/samples.tsv.
/// </summary>
internal static class DocxSamples
{
    private const string WNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    // Fixed timestamps keep regenerated files comparable; the package itself still differs by zip metadata.
    private static readonly DateTime Written = new(2024, 3, 15, 9, 0, 0, DateTimeKind.Utc);

    public static IEnumerable<(string File, Action<string> Write)> All() =>
    [
        ("docx-first-line-marking.docx", FirstLineMarking),
        ("docx-tracked-deletion.docx", TrackedDeletion),
        ("docx-comment-marking.docx", CommentMarking),
        ("docx-header-internal.docx", HeaderInternal),
        ("docx-public-article.docx", PublicArticle),
        ("docx-custom-property.docx", CustomProperty),
        ("docx-textbox-commercial.docx", TextBoxCommercial),
        ("docx-zero-width.docx", ZeroWidth),
    ];

    private static readonly string[] NoticeBody =
    [
        "为贯彻落实市委、市政府关于加快推进重大基础设施建设的决策部署，经研究，决定启动XX项目建设工作。现将有关事项通知如下。",
        "一、项目概况。XX项目位于我市东部新区，总投资约12.6亿元，建设内容包括综合管廊、道路改造及配套设施，计划工期三十六个月。",
        "二、工作要求。各有关单位要高度重视，明确分管领导和具体联系人，按照职责分工抓好前期手续办理、征地拆迁和资金保障等工作，确保项目按期开工。",
        "三、进度报送。请各单位于每月5日前将上月工作进展情况报送市发展改革委重大项目办公室。",
    ];

    /// <summary>Marking alone in paragraph 1; the title is split across runs; a table with a two-paragraph cell and a nested table.</summary>
    private static void FirstLineMarking(string path) => Write(path, (doc, body) =>
    {
        body.Append(Para("机密★10年"));
        body.Append(new Paragraph(Center(), Bold("关于"), Bold("XX项目"), Bold("建设的通知")));
        body.Append(Para("各区人民政府，市政府各委、办、局："));
        foreach (var text in NoticeBody) body.Append(Para(text));
        body.Append(Para("附件：项目任务分工表"));
        var nested = new Table(Borders(), Row("子项", "完成时限"), Row("综合管廊", "2025年6月"));
        body.Append(new Table(Borders(),
            Row("牵头单位", "主要任务"),
            new TableRow(Cell(Para("市发展改革委")), Cell(Para("统筹协调项目推进"), Para("组织开展项目前期论证"))),
            new TableRow(Cell(Para("市住房城乡建设委")), new TableCell(Para("负责工程建设管理"), nested, Para("按月通报进度")))));
        body.Append(Para("XX市发展和改革委员会"));
        body.Append(Para("2024年3月15日"));
    });

    /// <summary>The marking survives only as a tracked deletion of paragraph 1; also an insertion and hidden text.</summary>
    private static void TrackedDeletion(string path) => Write(path, (doc, body) =>
    {
        // A paragraph whose mark is deleted too: accepting all changes removes the line entirely.
        body.Append(new Paragraph(
            new ParagraphProperties(new ParagraphMarkRunProperties(new Deleted { Id = "1", Author = "王芳", Date = Written })),
            new DeletedRun(new Run(new DeletedText("秘密★5年"))) { Id = "2", Author = "王芳", Date = Written }));
        body.Append(new Paragraph(Center(), Bold("2024年度科技创新工作总结")));
        body.Append(Para("2024年，我单位深入实施创新驱动发展战略，围绕重点领域关键核心技术攻关，全年共承担各级科研项目23项，获得授权发明专利11件，科技成果转化收入同比增长18%。"));
        body.Append(new Paragraph(
            Run("在人才队伍建设方面，新引进博士研究生6名，"),
            new InsertedRun(Run("选派青年骨干赴高校访学交流，")) { Id = "3", Author = "王芳", Date = Written },
            Run("组建了三个青年创新团队。")));
        body.Append(new Paragraph(new InsertedRun(Run("下一步，我们将继续加大研发投入，完善科技成果评价和激励机制。")) { Id = "4", Author = "王芳", Date = Written }));
        body.Append(new Paragraph(
            Run("全年科研经费支出情况详见附表。"),
            new Run(new RunProperties(new Vanish()), new Text("（编辑备注：第三部分数据待财务处核对）"))));
        body.Append(Para("科技发展处"));
    });

    private static void CommentMarking(string path) => Write(path, (doc, body) =>
    {
        var comments = doc.MainDocumentPart!.AddNewPart<WordprocessingCommentsPart>();
        comments.Comments = new Comments(new Comment(new Paragraph(Run("机密★5年"))) { Id = "0", Author = "李明", Initials = "LM", Date = Written });
        body.Append(new Paragraph(Center(), Bold("关于做好2024年防汛备汛工作的报告")));
        body.Append(new Paragraph(
            new CommentRangeStart { Id = "0" },
            Run("今年入汛以来，我市降雨量较常年同期偏多三成，部分河道水位接近警戒线。"),
            new CommentRangeEnd { Id = "0" },
            new Run(new CommentReference { Id = "0" })));
        body.Append(Para("各级防汛指挥机构已完成汛前检查，共排查风险隐患点142处，已整改完成128处，其余正在加紧整改。"));
        body.Append(Para("下一步，将进一步完善应急预案，加强值班值守和信息报送，确保安全度汛。"));
    });

    /// <summary>"内部资料 注意保存" in the header; the footer's page number is a complex PAGE field.</summary>
    private static void HeaderInternal(string path) => Write(path, (doc, body) =>
    {
        var main = doc.MainDocumentPart!;
        var header = main.AddNewPart<HeaderPart>();
        header.Header = new Header(new Paragraph(Center(), Run("内部资料 注意保存")));
        var footer = main.AddNewPart<FooterPart>();
        footer.Footer = new Footer(new Paragraph(Center(),
            Run("第 "),
            new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }),
            new Run(new FieldCode(" PAGE ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
            Run("1"),
            new Run(new FieldChar { FieldCharType = FieldCharValues.End }),
            Run(" 页")));
        body.Append(new Paragraph(Center(), Bold("2024年第一季度安全生产工作简报")));
        body.Append(Para("一季度，全系统共开展安全生产检查56次，检查企业312家，发现一般隐患408项，已全部督促整改到位，未发生较大及以上生产安全事故。"));
        body.Append(Para("二季度将重点开展城镇燃气、自建房和消防安全专项整治，持续压实企业主体责任。"));
        body.Append(new SectionProperties(
            new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) },
            new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) }));
    });

    /// <summary>A notice whose page header carries 秘密★1年 (sent inside an archive by <see cref="ArchiveSamples"/>).</summary>
    internal static void SecretHeader(string path) => Write(path, (doc, body) =>
    {
        var main = doc.MainDocumentPart!;
        var header = main.AddNewPart<HeaderPart>();
        header.Header = new Header(new Paragraph(Run("秘密★1年")));
        body.Append(new Paragraph(Center(), Bold("关于报送2024年度重点项目推进情况的通知")));
        foreach (var text in NoticeBody) body.Append(Para(text));
        body.Append(new SectionProperties(new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) }));
    });

    /// <summary>The first-line-marking notice, for use as an attachment by other generators.</summary>
    internal static void FirstLineMarkingTo(string path) => FirstLineMarking(path);

    /// <summary>Law-education article: levels named in prose and a marking quoted as an example; a footnote and an endnote.</summary>
    private static void PublicArticle(string path) => Write(path, (doc, body) =>
    {
        var main = doc.MainDocumentPart!;
        var footnotes = main.AddNewPart<FootnotesPart>();
        footnotes.Footnotes = new Footnotes(
            new Footnote(new Paragraph(new Run(new SeparatorMark()))) { Type = FootnoteEndnoteValues.Separator, Id = -1 },
            new Footnote(new Paragraph(new Run(new ContinuationSeparatorMark()))) { Type = FootnoteEndnoteValues.ContinuationSeparator, Id = 0 },
            new Footnote(new Paragraph(Run("《中华人民共和国保守国家秘密法》，2024年2月27日第十四届全国人民代表大会常务委员会第八次会议修订。"))) { Id = 1 });
        var endnotes = main.AddNewPart<EndnotesPart>();
        endnotes.Endnotes = new Endnotes(
            new Endnote(new Paragraph(new Run(new SeparatorMark()))) { Type = FootnoteEndnoteValues.Separator, Id = -1 },
            new Endnote(new Paragraph(new Run(new ContinuationSeparatorMark()))) { Type = FootnoteEndnoteValues.ContinuationSeparator, Id = 0 },
            new Endnote(new Paragraph(Run("本文为普法宣传材料，欢迎转载，转载请注明出处。"))) { Id = 1 });
        body.Append(new Paragraph(Center(), Bold("保密法小课堂：国家秘密标志怎么看")));
        body.Append(new Paragraph(
            Run("根据保守国家秘密法"),
            new Run(new RunProperties(new VerticalTextAlignment { Val = VerticalPositionValues.Superscript }), new FootnoteReference { Id = 1 }),
            Run("的规定，国家秘密的密级分为绝密、机密、秘密三级。绝密级国家秘密是最重要的国家秘密，泄露会使国家安全和利益遭受特别严重的损害。")));
        body.Append(Para("国家秘密的标志由密级和保密期限组成，中间用“★”隔开。例如，一份保密期限为十年的机密级文件，应标注为“机密★10年”；保密期限为长期的，可标注为“绝密★长期”。"));
        body.Append(Para("机关、单位工作人员在日常工作中，要增强保密意识，不在互联网上存储、处理、传输国家秘密信息，发现泄密隐患要及时报告。"));
        body.Append(new Paragraph(Run("（来源：市普法办）"), new Run(new EndnoteReference { Id = 1 })));
    });

    private static void CustomProperty(string path) => Write(path, (doc, body) =>
    {
        var custom = doc.AddCustomFilePropertiesPart();
        custom.Properties = new DocumentFormat.OpenXml.CustomProperties.Properties(
            new CustomDocumentProperty(new VTLPWSTR("秘密")) { FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", PropertyId = 2, Name = "密级" },
            new CustomDocumentProperty(new VTLPWSTR("规划编制处")) { FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", PropertyId = 3, Name = "承办部门" });
        var extended = doc.AddExtendedFilePropertiesPart();
        extended.Properties = new DocumentFormat.OpenXml.ExtendedProperties.Properties(
            new Application("Microsoft Office Word"), new Company("XX市规划设计研究院"), new Manager(""));
        doc.PackageProperties.Title = "城市更新专项规划编制工作方案";
        body.Append(new Paragraph(Center(), Bold("城市更新专项规划编制工作方案")));
        body.Append(Para("为统筹推进城市更新工作，提升城市功能品质，根据国土空间总体规划，制定本工作方案。"));
        body.Append(Para("规划范围为中心城区建成区，规划期限至2035年，近期至2027年。编制工作分为现状调查、专题研究、方案编制、征求意见四个阶段。"));
    });

    /// <summary>A text box at the top, written as Word does: a wps shape in mc:Choice and the same box in VML in mc:Fallback.</summary>
    private static void TextBoxCommercial(string path) => Write(path, (doc, body) =>
    {
        body.Append(new Paragraph($$"""
            <w:p xmlns:w="{{WNs}}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
                 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
                 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
                 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
                 xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
              <w:pPr><w:jc w:val="center"/></w:pPr>
              <w:r>
                <mc:AlternateContent>
                  <mc:Choice Requires="wps">
                    <w:drawing>
                      <wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
                        <wp:simplePos x="0" y="0"/>
                        <wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>
                        <wp:positionV relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionV>
                        <wp:extent cx="1828800" cy="400050"/>
                        <wp:effectExtent l="0" t="0" r="0" b="0"/>
                        <wp:wrapSquare wrapText="bothSides"/>
                        <wp:docPr id="1" name="文本框 1"/>
                        <wp:cNvGraphicFramePr/>
                        <a:graphic>
                          <a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
                            <wps:wsp>
                              <wps:cNvSpPr txBox="1"/>
                              <wps:spPr>
                                <a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="400050"/></a:xfrm>
                                <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
                                <a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>
                              </wps:spPr>
                              <wps:txbx>
                                <w:txbxContent><w:p><w:r><w:t>XX公司普通商密▲3年</w:t></w:r></w:p></w:txbxContent>
                              </wps:txbx>
                              <wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="t"/>
                            </wps:wsp>
                          </a:graphicData>
                        </a:graphic>
                      </wp:anchor>
                    </w:drawing>
                  </mc:Choice>
                  <mc:Fallback>
                    <w:pict>
                      <v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">
                        <v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/>
                      </v:shapetype>
                      <v:shape id="文本框 1" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;margin-left:0;margin-top:0;width:2in;height:31.5pt;z-index:251659264;mso-position-horizontal:right;mso-position-horizontal-relative:margin" strokeweight=".5pt">
                        <v:textbox><w:txbxContent><w:p><w:r><w:t>XX公司普通商密▲3年</w:t></w:r></w:p></w:txbxContent></v:textbox>
                      </v:shape>
                    </w:pict>
                  </mc:Fallback>
                </mc:AlternateContent>
              </w:r>
              <w:r><w:rPr><w:b/></w:rPr><w:t>智能巡检机器人产品技术方案</w:t></w:r>
            </w:p>
            """));
        body.Append(Para("本方案介绍XX公司新一代智能巡检机器人的系统架构、关键技术指标和典型应用场景，供合作伙伴内部评估使用。"));
        body.Append(Para("机器人采用激光雷达与视觉融合导航，定位精度优于±2厘米，单次充电续航8小时，可在变电站、综合管廊等场景实现全天候自主巡检。"));
        body.Append(Para("报价及供货周期以双方签订的合同为准。"));
    });

    /// <summary>Zero-width characters inside the marking, and each character in its own run.</summary>
    private static void ZeroWidth(string path) => Write(path, (doc, body) =>
    {
        body.Append(new Paragraph(Run("机\u200B"), Run("密\u200D"), Run("★\uFEFF"), Run("10年")));
        body.Append(new Paragraph(Center(), Bold("关于开展2024年度网络安全检查的通知")));
        body.Append(Para("为切实做好网络安全保障工作，经研究，决定于4月至5月在全系统开展网络安全检查。检查内容包括网络安全责任制落实、重要信息系统防护、数据安全管理等。"));
        body.Append(Para("请各单位于4月30日前完成自查，并将自查报告报送信息中心。"));
    });

    private static void Write(string path, Action<WordprocessingDocument, Body> build)
    {
        using var doc = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = doc.AddMainDocumentPart();
        var body = new Body();
        main.Document = new Document(body);
        doc.PackageProperties.Creator = "办公室";
        doc.PackageProperties.Created = Written;
        doc.PackageProperties.Modified = Written;
        build(doc, body);
    }

    private static Run Run(string text) => new(new Text(text) { Space = SpaceProcessingModeValues.Preserve });

    private static Run Bold(string text) => new(new RunProperties(new Bold()), new Text(text) { Space = SpaceProcessingModeValues.Preserve });

    private static Paragraph Para(string text) => new(Run(text));

    private static ParagraphProperties Center() => new(new Justification { Val = JustificationValues.Center });

    private static TableProperties Borders() => new(new TableBorders(
        new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
        new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
        new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }));

    private static TableCell Cell(params Paragraph[] paragraphs) => new(paragraphs);

    private static TableRow Row(params string[] cells) => new(cells.Select(c => Cell(Para(c))));
}
