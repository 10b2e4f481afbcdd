using SecScan.CorpusGen;

// Writes the generated samples into the directory given (corpora/samples), or with `labelled OUT PROSE`
// the labelled evaluation corpus (corpora/labelled; PDFs from its fodt/ by tools/make-labelled-pdfs.sh).
// Files made by other writers (LibreOffice) come from corpora/tools/*.sh instead.
// Optional further arguments name the samples to write (or a file-name prefix such as "ofd-"); by default all are written.
if (args is ["labelled", var output, var prose])
{
    LabelledCorpus.Write(output, prose);
    Console.WriteLine($"labelled corpus written to {output}");
    return 0;
}
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: SecScan.CorpusGen <output-directory> [sample-file-or-prefix ...] | SecScan.CorpusGen labelled <output-directory> <prose-file>");
    return 2;
}
Directory.CreateDirectory(args[0]);
foreach (var (file, write) in DocxSamples.All().Concat(MailSamples.All()).Concat(ArchiveSamples.All()).Concat(OfdSamples.All()).Concat(MhtSamples.All()).Concat(MsgSamples.All()).Concat(EmbeddedSamples.All()).Concat(SurveySamples.All()))
{
    if (args.Length > 1 && !args[1..].Any(p => file.StartsWith(p, StringComparison.Ordinal))) continue;   // a name is its own prefix
    var path = Path.Combine(args[0], file);
    File.Delete(path);
    write(path);
    Console.WriteLine(path);
}
return 0;
