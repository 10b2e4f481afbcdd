using NPOI;
using NPOI.HSSF;
using NPOI.HSSF.Extractor;
using NPOI.HSSF.UserModel;
using NPOI.POIFS.FileSystem;
using NPOI.SS.UserModel;
using NPOI.SS.Util;
using SecScan.Core.Documents;

namespace SecScan.Extraction.Ole;

/// <summary>
/// Excel 97–2003 workbooks (BIFF8, [MS-XLS]) through NPOI HSSF: every cell's displayed text with its sheet and
/// address ("Sheet2!C7"), cell comments, text boxes, sheet headers and footers. Cells of hidden or very hidden
/// sheets, hidden rows and hidden columns are <see cref="SegmentPart.HiddenText"/>. BIFF8 strings are UTF-16 or
/// compressed Latin-1 in the shared string table, so Chinese comes out as written. Excel 5/95 files (a "Book"
/// stream, BIFF5) are read as plain text through NPOI's OldExcelExtractor.
/// </summary>
internal static class XlsReader
{
    /// <summary>Cancellation is checked at least this often.</summary>
    private const int RowsPerCancellationCheck = 256;

    public static void Read(DirectoryNode root, OleTextSink sink)
    {
        HSSFWorkbook workbook;
        try
        {
            workbook = new HSSFWorkbook(root, preserveNodes: false);
        }
        catch (EncryptedDocumentException)
        {
            sink.Note(CoverageKind.Encrypted, "password-protected XLS workbook: contents not read");
            return;
        }
        catch (OldExcelFormatException)
        {
            ReadOld(root, sink);
            return;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            sink.Note(CoverageKind.Corrupt, $"XLS workbook could not be read: {Core.Extraction.SafeText.Of(ex)}");
            return;
        }
        var formatter = new DataFormatter(System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < workbook.NumberOfSheets && !sink.Full; i++)
        {
            int index = i;
            sink.Guard($"sheet {index + 1}", () => ReadSheet(workbook, index, formatter, sink));
        }
    }

    private static void ReadSheet(HSSFWorkbook workbook, int index, DataFormatter formatter, OleTextSink sink)
    {
        var sheet = (HSSFSheet)workbook.GetSheetAt(index);
        string name = sheet.SheetName;
        bool hiddenSheet = workbook.IsSheetHidden(index) || workbook.IsSheetVeryHidden(index);
        var at = sink.Context.At() with { Sheet = name };

        int rows = 0;
        var enumerator = sheet.GetRowEnumerator();
        while (enumerator.MoveNext() && !sink.Full)
        {
            if (++rows % RowsPerCancellationCheck == 0) sink.Context.CancellationToken.ThrowIfCancellationRequested();
            if (enumerator.Current is not IRow row) continue;
            foreach (var cell in row.Cells)
            {
                string text = CellText(cell, formatter);
                if (text.Length == 0) continue;
                bool hidden = hiddenSheet || row.ZeroHeight || sheet.IsColumnHidden(cell.ColumnIndex);
                sink.Emit(text, CellAt(at, cell.RowIndex, cell.ColumnIndex, hidden ? SegmentPart.HiddenText : SegmentPart.Body));
            }
        }

        // Comments and text boxes live in the sheet's drawing; comments are attached to a cell address.
        if (sheet.DrawingPatriarch is HSSFPatriarch patriarch)
            foreach (var shape in patriarch.Children) Shape(shape, at, sink);

        HeaderFooter(sheet.Header, SegmentPart.Header, at, sink);
        HeaderFooter(sheet.Footer, SegmentPart.Footer, at, sink);
    }

    private static void Shape(HSSFShape shape, Location at, OleTextSink sink)
    {
        switch (shape)
        {
            case HSSFComment comment:
                sink.Emit(comment.String?.String ?? "", CellAt(at, comment.Row, comment.Column, SegmentPart.Comment));
                break;
            case HSSFTextbox box:
                sink.Emit(box.String?.String ?? "", at with { Part = SegmentPart.TextBox });
                break;
            case HSSFShapeGroup group:
                foreach (var child in group.Children) Shape(child, at, sink);
                break;
        }
    }

    private static void HeaderFooter(IHeaderFooter? hf, SegmentPart part, Location at, OleTextSink sink)
    {
        if (hf is null) return;
        foreach (var (region, text) in new[] { ("left", hf.Left), ("center", hf.Center), ("right", hf.Right) })
            if (!string.IsNullOrEmpty(text))
                sink.Emit(NPOI.HSSF.UserModel.HeaderFooter.StripFields(text), at with { Part = part, PartName = region });
    }

    private static Location CellAt(Location at, int row, int column, SegmentPart part) =>
        at with { Part = part, Cell = new CellReference(row, column).FormatAsString(), Row = row + 1, Column = column + 1 };

    /// <summary>The cell as displayed; a formula shows its cached result (the formula text is not what a reader sees).</summary>
    internal static string CellText(ICell cell, DataFormatter formatter)
    {
        var type = cell.CellType == CellType.Formula ? cell.CachedFormulaResultType : cell.CellType;
        return type switch
        {
            CellType.String => cell.RichStringCellValue?.String ?? "",
            CellType.Numeric => formatter.FormatRawCellContents(cell.NumericCellValue, cell.CellStyle.DataFormat, cell.CellStyle.GetDataFormatString()),
            CellType.Boolean => cell.BooleanCellValue ? "TRUE" : "FALSE",
            _ => "",
        };
    }

    /// <summary>BIFF5 and older: no cell addresses from this extractor, only the text of every sheet.</summary>
    private static void ReadOld(DirectoryNode root, OleTextSink sink)
    {
        sink.Guard("the Excel 5/95 workbook", () =>
        {
            var extractor = new OldExcelExtractor(root);
            int paragraph = 0;
            foreach (var line in extractor.Text.Split('\n'))
            {
                paragraph++;
                sink.Emit(line.TrimEnd('\r'), sink.Context.At() with { Paragraph = paragraph });
            }
        });
    }
}
