using SecScan.CorpusGen;

// Writes the generated samples into the directory given (corpora/samples). Files made by other writers
// (LibreOffice) come from corpora/tools/*.sh instead.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: SecScan.CorpusGen <output-directory>");
    return 2;
}
Directory.CreateDirectory(args[0]);
foreach (var (file, write) in DocxSamples.All().Concat(MailSamples.All()).Concat(ArchiveSamples.All()))
{
    var path = Path.Combine(args[0], file);
    File.Delete(path);
    write(path);
    Console.WriteLine(path);
}
return 0;
