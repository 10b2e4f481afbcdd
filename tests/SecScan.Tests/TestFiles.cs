namespace SecScan.Tests;

/// <summary>Sample files by name, so no test spells out a path (ImageSharp's TestImages pattern).</summary>
public static class TestFiles
{
    public const string PdfSecretHeader = "pdf-secret-header.pdf";
    public const string PdfPublicArticle = "pdf-public-article.pdf";
    public const string PdfEncrypted = "pdf-encrypted.pdf";
    public const string PdfImageOnly = "pdf-image-only.pdf";
    public const string PdfFirstLineMarking = "pdf-first-line-marking.pdf";

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
