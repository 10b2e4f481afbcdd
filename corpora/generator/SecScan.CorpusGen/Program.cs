using SecScan.CorpusGen;

// Writes the generated samples into the directory given (corpora/samples). Files made by other writers
// (LibreOffice) come from corpora/tools/*.sh instead.
// Optional further arguments name the samples to write; by default all are written.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: SecScan.CorpusGen <output-directory> [sample-file ...]");
    return 2;
}
Directory.CreateDirectory(args[0]);
foreach (var (file, write) in DocxSamples.All().Concat(EmbeddedSamples.All()))
{
    if (args.Length > 1 && !args.AsSpan(1).Contains(file)) continue;
    var path = Path.Combine(args[0], file);
    File.Delete(path);
    write(path);
    Console.WriteLine(path);
}
return 0;
