using SecScan.CorpusGen;

// Writes the generated samples into the directory given (corpora/samples), or with `labelled OUT PROSE`
// the labelled evaluation corpus (corpora/labelled; PDFs from its fodt/ by tools/make-labelled-pdfs.sh).
// Files made by other writers (LibreOffice) come from corpora/tools/*.sh instead.
// An optional second argument keeps only the samples whose file name starts with it (e.g. "ofd-").
if (args is ["labelled", var output, var prose])
{
    LabelledCorpus.Write(output, prose);
    Console.WriteLine($"labelled corpus written to {output}");
    return 0;
}
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: SecScan.CorpusGen <output-directory> [file-name-prefix] | SecScan.CorpusGen labelled <output-directory> <prose-file>");
    return 2;
}
Directory.CreateDirectory(args[0]);
foreach (var (file, write) in DocxSamples.All().Concat(MailSamples.All()).Concat(ArchiveSamples.All()).Concat(OfdSamples.All()).Concat(MhtSamples.All()).Concat(MsgSamples.All()))
{
    if (args.Length == 2 && !file.StartsWith(args[1], StringComparison.Ordinal)) continue;
    var path = Path.Combine(args[0], file);
    File.Delete(path);
    write(path);
    Console.WriteLine(path);
}
return 0;
