namespace SecScan.Tests;

/// <summary>Sample files by name, so no test spells out a path (ImageSharp's TestImages pattern).</summary>
public static class TestFiles
{
    public const string PdfSecretHeader = "pdf-secret-header.pdf";
    public const string PdfPublicArticle = "pdf-public-article.pdf";
    public const string PdfEncrypted = "pdf-encrypted.pdf";
    public const string PdfImageOnly = "pdf-image-only.pdf";
    public const string PdfFirstLineMarking = "pdf-first-line-marking.pdf";
    public const string PdfCidPango = "pdf-cid-pango.pdf";

    public const string DocxFirstLineMarking = "docx-first-line-marking.docx";
    public const string DocxTrackedDeletion = "docx-tracked-deletion.docx";
    public const string DocxCommentMarking = "docx-comment-marking.docx";
    public const string DocxHeaderInternal = "docx-header-internal.docx";
    public const string DocxPublicArticle = "docx-public-article.docx";
    public const string DocxCustomProperty = "docx-custom-property.docx";
    public const string DocxTextBoxCommercial = "docx-textbox-commercial.docx";
    public const string DocxLibreOfficeCoverTable = "docx-libreoffice-cover-table.docx";
    public const string DocxZeroWidth = "docx-zero-width.docx";

    // Mail and archives.
    public const string EmlGbkAttachment = "eml-gbk-attachment.eml";
    public const string EmlPublicNotice = "eml-public-notice.eml";
    public const string ZipGbkNames = "zip-gbk-names.zip";
    public const string TgzNestedZip = "tgz-nested-zip.tar.gz";
    public const string ZipEncryptedMember = "zip-encrypted-member.zip";
    public const string DocxEncryptedPassword = "docx-encrypted-password.docx";

    public const string RtfSecretHeader = "rtf-libreoffice-secret-header.rtf";
    public const string HtmlHiddenMarking = "html-hidden-marking.html";
    public const string HtmlGbkNews = "html-gbk-news.html";
    public const string MhtSavedPage = "mht-saved-page.mht";
    public const string OfdFirstLineMarking = "ofd-first-line-marking.ofd";
    public const string OfdPublicNotice = "ofd-public-notice.ofd";

    public const string DocFirstLineMarking = "doc-first-line-marking.doc";
    public const string DocHeaderMarking = "doc-header-marking.doc";
    public const string DocPublicArticle = "doc-public-article.doc";
    public const string XlsSheet2C7Marking = "xls-sheet2-c7-marking.xls";
    public const string PptSlide3NotesMarking = "ppt-slide3-notes-marking.ppt";
    public const string WpsFirstLineMarking = "wps-first-line-marking.wps";
    public const string EtSheet2C7Marking = "et-sheet2-c7-marking.et";
    public const string DpsSlide3NotesMarking = "dps-slide3-notes-marking.dps";
    public const string MsgSubjectMarking = "msg-subject-marking.msg";

    // Personal and credential data (D12–D18, K12); copies of labelled-corpus documents.
    public const string DocxCustomerList = "docx-customer-list.docx";
    public const string TxtPrivateKey = "txt-private-key.txt";
    public const string TxtTenderNotice = "txt-tender-notice.txt";
    public const string TxtGbkPersonalData = "txt-gbk-personal-data.txt";

    // XLSX, PPTX, embedded objects and attachments (corpora/tools/make-office-samples.sh, CorpusGen EmbeddedSamples).
    public const string XlsxSheet2Marking = "xlsx-sheet2-marking.xlsx";
    public const string XlsxHiddenSheet = "xlsx-hidden-sheet.xlsx";
    public const string XlsxPublicPriceList = "xlsx-public-price-list.xlsx";
    public const string PptxNotesMarking = "pptx-notes-marking.pptx";
    public const string PptxPitchConfidential = "pptx-pitch-confidential.pptx";
    public const string DocxEmbeddedXlsx = "docx-embedded-xlsx.docx";
    public const string PdfAttachedDocx = "pdf-attached-docx.pdf";

    // Survey and mapping (DOMAIN.md §4, D7–D11).
    public const string DocxGnssControlPoints = "docx-gnss-control-points.docx";
    public const string PdfControlPointTable = "pdf-control-point-table.pdf";
    public const string CsvInspectionTrack = "csv-inspection-track.csv";
    public const string TxtNewsCoordinates = "txt-news-coordinates.txt";
    public const string TxtMiningRightNotice = "txt-mining-right-notice.txt";
    public const string TxtSevenParameters = "txt-seven-parameters.txt";

    private static readonly Lazy<string> SamplesDirectory = new(() =>
    {
        // The test binaries sit several levels below the repository root; the solution file marks the root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SecScan.sln")))
                return Path.Combine(dir.FullName, "corpora", "samples");
        throw new DirectoryNotFoundException($"no SecScan.sln above {AppContext.BaseDirectory}");
    });

    /// <summary><c>corpora/samples.tsv</c>: each sample with its expected decision, location and how it was made.</summary>
    public static string Manifest => Path.Combine(Path.GetDirectoryName(SamplesDirectory.Value)!, "samples.tsv");

    /// <summary><c>corpora/labelled</c>: the generated labelled corpus (see its PROVENANCE.md).</summary>
    public static string LabelledRoot => Path.Combine(Path.GetDirectoryName(SamplesDirectory.Value)!, "labelled");

    /// <summary>The samples directory itself.</summary>
    public static string SamplesRoot => SamplesDirectory.Value;

    /// <summary>The full path of a file in <c>corpora/samples/</c>; throws if it does not exist, so a renamed sample fails loudly.</summary>
    public static string Sample(string name)
    {
        var path = Path.Combine(SamplesDirectory.Value, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"sample {name} is missing", path);
    }

    // Keywords (feat/keywords)

    /// <summary>Copies the default ruleset, word lists in subdirectories included, into <paramref name="destination"/>.</summary>
    public static void CopyDefaultRuleset(string destination)
    {
        var source = Core.Rulesets.RulesetLocator.Default();
        foreach (var f in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target, overwrite: true);
        }
    }
}
