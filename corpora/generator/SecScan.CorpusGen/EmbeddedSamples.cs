using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace SecScan.CorpusGen;

/// <summary>
/// Office files that carry other files inside them: a report whose task table is an embedded Excel worksheet
/// (as Word's Insert › Object › Excel Worksheet stores it: an EmbeddedPackagePart under word/embeddings and an
/// o:OLEObject with ProgID Excel.Sheet.12 in the body). The report itself is unmarked; the worksheet is marked.
/// And a notice with a text file dropped in as an icon (Insert › Object › Package): an OLE 1.0 package
/// (<c>\u0001Ole10Native</c>, <see cref="OlePackageSamples"/>) in an
/// EmbeddedObjectPart, label and path in GBK as the Windows Packager writes them; the packaged file is marked.
/// </summary>
internal static class EmbeddedSamples
{
    private static readonly DateTime Written = new(2024, 3, 15, 9, 0, 0, DateTimeKind.Utc);

    public static IEnumerable<(string File, Action<string> Write)> All() =>
    [
        ("docx-embedded-xlsx.docx", DocxWithEmbeddedWorkbook),
        ("docx-ole-package.docx", DocxWithPackagedTextFile),
    ];

    private static void DocxWithPackagedTextFile(string path)
    {
        using var doc = NewDocument(path, "办公室", out var main, out var body);

        var embedded = main.AddEmbeddedObjectPart("application/vnd.openxmlformats-officedocument.oleObject");
        var text = "秘密★1年\r\n关于调整值班安排的补充说明\r\n一、春节期间实行双人值班。\r\n二、值班记录每日报办公室。\r\n";
        using (var ole = new MemoryStream(OlePackageSamples.OlePackage("值班安排补充说明.txt", @"C:\Users\办公室\Desktop\值班安排补充说明.txt",
                   System.Text.Encoding.UTF8.GetBytes(text))))
            embedded.FeedData(ole);

        body.Append(Para("关于做好春节期间值班工作的通知"));
        body.Append(Para("各处室："));
        body.Append(Para("为做好春节期间值班工作，现将有关事项通知如下，补充说明见附件（双击图标打开）。"));
        body.Append(OleObjectParagraph("_x0000_i1026", "Package", "Icon", 1520, 960, "_1773912346", main.GetIdOfPart(embedded)));
        body.Append(Para("办公室"));
        body.Append(Para("2024年1月20日"));
    }

    private static void DocxWithEmbeddedWorkbook(string path)
    {
        using var doc = NewDocument(path, "规划处", out var main, out var body);

        var embedded = main.AddEmbeddedPackagePart(EmbeddedPackagePartType.Xlsx);
        using (var workbook = new MemoryStream())
        {
            WriteTaskWorkbook(workbook);
            workbook.Position = 0;
            embedded.FeedData(workbook);
        }

        body.Append(Para("关于XX项目推进情况的报告"));
        body.Append(Para("市政府："));
        body.Append(Para("今年以来，我委会同有关部门加快推进XX项目建设，综合管廊主体工程已完成总量的六成，道路改造工程进入路面施工阶段。现将任务分工和完成情况报告如下。"));
        body.Append(Para("一、任务分工及完成情况（见下表）"));
        body.Append(OleObjectParagraph("_x0000_i1025", "Excel.Sheet.12", "Content", 8300, 2400, "_1773912345", main.GetIdOfPart(embedded)));
        body.Append(Para("二、下一步工作。我委将继续加强统筹调度，督促各责任单位按期完成任务。"));
        body.Append(Para("XX市发展和改革委员会"));
        body.Append(Para("2024年3月15日"));
    }

    /// <summary>The embedded worksheet: a task table whose header row carries the marking in C1.</summary>
    private static void WriteTaskWorkbook(Stream target)
    {
        using var book = SpreadsheetDocument.Create(target, SpreadsheetDocumentType.Workbook);
        var workbookPart = book.AddWorkbookPart();
        var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
        string[][] rows =
        [
            ["XX项目任务分工表", "", "机密★5年"],
            ["牵头单位", "主要任务", "完成时限"],
            ["市发展改革委", "统筹协调项目推进，组织开展项目前期论证", "2024年6月"],
            ["市住房城乡建设委", "负责工程建设管理，按月通报进度", "2025年6月"],
            ["市财政局", "落实项目建设资金", "2024年12月"],
        ];
        var data = new SheetData();
        for (int r = 0; r < rows.Length; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (int c = 0; c < rows[r].Length; c++)
            {
                if (rows[r][c].Length == 0) continue;
                row.Append(new Cell
                {
                    CellReference = $"{(char)('A' + c)}{r + 1}",
                    DataType = CellValues.InlineString,
                    InlineString = new InlineString(new S.Text(rows[r][c])),
                });
            }
            data.Append(row);
        }
        sheetPart.Worksheet = new Worksheet(data);
        workbookPart.Workbook = new Workbook(new Sheets(new Sheet { Name = "分工表", SheetId = 1, Id = workbookPart.GetIdOfPart(sheetPart) }));
    }

    /// <summary>A new DOCX with a fixed author and dates (so regenerated samples read the same) and an empty body.</summary>
    private static WordprocessingDocument NewDocument(string path, string creator, out MainDocumentPart main, out Body body)
    {
        var doc = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        doc.PackageProperties.Creator = creator;
        doc.PackageProperties.Created = Written;
        doc.PackageProperties.Modified = Written;
        main = doc.AddMainDocumentPart();
        body = new Body();
        main.Document = new Document(body);
        return doc;
    }

    /// <summary>
    /// The paragraph Word writes for an inserted object: a <c>w:object</c> with its VML shape and the
    /// <c>o:OLEObject</c> that points at the embedded part (sizes in twentieths of a point).
    /// </summary>
    private static W.Paragraph OleObjectParagraph(string shapeId, string progId, string drawAspect, int dxa, int dya, string objectId, string relationshipId) => new($"""
        <w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
             xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
             xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
          <w:r><w:object w:dxaOrig="{dxa}" w:dyaOrig="{dya}">
            <v:shape id="{shapeId}" type="#_x0000_t75" style="width:{dxa / 20}pt;height:{dya / 20}pt" o:ole=""/>
            <o:OLEObject Type="Embed" ProgID="{progId}" ShapeID="{shapeId}" DrawAspect="{drawAspect}"
                         ObjectID="{objectId}" r:id="{relationshipId}"/>
          </w:object></w:r>
        </w:p>
        """);

    private static W.Paragraph Para(string text) => new(new W.Run(new W.Text(text) { Space = SpaceProcessingModeValues.Preserve }));
}
