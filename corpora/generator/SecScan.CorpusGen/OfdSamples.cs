using System.IO.Compression;
using System.Security;
using System.Text;

namespace SecScan.CorpusGen;

/// <summary>
/// Minimal OFD packages. No OFD writer is packaged for Debian or NuGet, so these follow the structure of
/// GB/T 33190-2016 by hand: §7.4 OFD.xml (ofd:OFD, DocBody with DocInfo and DocRoot), §7.5 Document.xml
/// (CommonData with MaxUnitID, PageArea/PhysicalBox and PublicRes; Pages/Page with ID and BaseLoc;
/// Annotations; Attachments), §7.9 PublicRes.xml (Fonts/Font), §7.7 page Content.xml (Area/PhysicalBox,
/// Content/Layer/TextObject with Boundary, Font and Size, and TextCode with X, Y and DeltaX in mm),
/// §15 Annotations.xml and a page's annotation file (PageAnnot/Annot with Remark and Appearance),
/// §20 Attachments.xml (Attachment with Name, Format and FileLoc). Namespace http://www.ofdspec.org/2016.
/// </summary>
internal static class OfdSamples
{
    private const string Ns = "http://www.ofdspec.org/2016";

    public static IEnumerable<(string File, Action<string> Write)> All() =>
    [
        ("ofd-first-line-marking.ofd", path => Write(path, "关于调整专项经费使用范围的通知", "办公厅",
            ["机密★10年", "关于调整专项经费使用范围的通知", "各有关单位：", "经研究，现将专项经费使用范围调整如下。", "一、设备购置费用可用于维护保养。", "二、差旅费用按实际发生报销。"],
            annotation: null, attachment: null)),
        ("ofd-public-notice.ofd", path => Write(path, "关于举办2026年全民健身运动会的通知", "市体育局",
            ["关于举办2026年全民健身运动会的通知", "各区体育局、各有关单位：", "为丰富群众文化生活，定于五月举办全民健身运动会。", "比赛项目包括健步走、乒乓球和羽毛球。", "欢迎广大市民踊跃报名参加。"],
            annotation: "请核对报名截止日期", attachment: ("报名表.txt", "报名表\n姓名：\n项目：\n联系电话：\n"))),
    ];

    private static void Write(string path, string title, string author, string[] lines, string? annotation, (string Name, string Text)? attachment)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Add(string name, string xml)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
            using var s = entry.Open();
            var bytes = Encoding.UTF8.GetBytes(xml);
            s.Write(bytes);
        }
        static string E(string s) => SecurityElement.Escape(s);

        Add("OFD.xml", $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:OFD xmlns:ofd="{Ns}" Version="1.0" DocType="OFD">
              <ofd:DocBody>
                <ofd:DocInfo>
                  <ofd:DocID>6f9a0c2e4b7d4e0f9a1b2c3d4e5f6a7b</ofd:DocID>
                  <ofd:Title>{E(title)}</ofd:Title>
                  <ofd:Author>{E(author)}</ofd:Author>
                  <ofd:CreationDate>2026-03-01</ofd:CreationDate>
                  <ofd:Creator>SecScan.CorpusGen</ofd:Creator>
                </ofd:DocInfo>
                <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>
              </ofd:DocBody>
            </ofd:OFD>
            """);
        Add("Doc_0/Document.xml", $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:Document xmlns:ofd="{Ns}">
              <ofd:CommonData>
                <ofd:MaxUnitID>{20 + lines.Length}</ofd:MaxUnitID>
                <ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>
                <ofd:PublicRes>PublicRes.xml</ofd:PublicRes>
              </ofd:CommonData>
              <ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>
            {(annotation is null ? "" : "  <ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>\n")}{(attachment is null ? "" : "  <ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>\n")}</ofd:Document>
            """);
        Add("Doc_0/PublicRes.xml", $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:Res xmlns:ofd="{Ns}" BaseLoc="Res">
              <ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体" Charset="unicode"/></ofd:Fonts>
            </ofd:Res>
            """);
        // A4 page, 25 mm margins, 5 mm (about 14 pt) text, a line every 9 mm; each character advances one em.
        var content = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            double size = i == 0 ? 6 : 5;
            double y = 30 + i * 9;
            string deltas = lines[i].Length > 1 ? $" DeltaX=\"g {lines[i].Length - 1} {size}\"" : "";
            content.Append($"""
                      <ofd:TextObject ID="{10 + i}" Boundary="25 {y} 160 {size + 2}" Font="2" Size="{size}">
                        <ofd:TextCode X="0" Y="{size}"{deltas}>{E(lines[i])}</ofd:TextCode>
                      </ofd:TextObject>

                """);
        }
        Add("Doc_0/Pages/Page_0/Content.xml", $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:Page xmlns:ofd="{Ns}">
              <ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area>
              <ofd:Content>
                <ofd:Layer ID="3">
            {content}    </ofd:Layer>
              </ofd:Content>
            </ofd:Page>
            """);
        if (annotation is not null)
        {
            Add("Doc_0/Annots/Annotations.xml", $"""
                <?xml version="1.0" encoding="UTF-8"?>
                <ofd:Annotations xmlns:ofd="{Ns}">
                  <ofd:Page PageID="1"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page>
                </ofd:Annotations>
                """);
            Add("Doc_0/Annots/Page_0/Annotation.xml", $"""
                <?xml version="1.0" encoding="UTF-8"?>
                <ofd:PageAnnot xmlns:ofd="{Ns}">
                  <ofd:Annot ID="90" Type="Highlight" Creator="{E(author)}" LastModDate="2026-03-01">
                    <ofd:Remark>{E(annotation)}</ofd:Remark>
                    <ofd:Appearance Boundary="25 56 160 7"/>
                  </ofd:Annot>
                </ofd:PageAnnot>
                """);
        }
        if (attachment is { } a)
        {
            Add("Doc_0/Attachs/Attachments.xml", $"""
                <?xml version="1.0" encoding="UTF-8"?>
                <ofd:Attachments xmlns:ofd="{Ns}">
                  <ofd:Attachment ID="95" Name="{E(a.Name)}" Format="txt" CreationDate="2026-03-01" Visible="true">
                    <ofd:FileLoc>{E(a.Name)}</ofd:FileLoc>
                  </ofd:Attachment>
                </ofd:Attachments>
                """);
            var entry = zip.CreateEntry("Doc_0/Attachs/" + a.Name, CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
            using var s = entry.Open();
            s.Write(Encoding.UTF8.GetBytes(a.Text));
        }
    }
}
