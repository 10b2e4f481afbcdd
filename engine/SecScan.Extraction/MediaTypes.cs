namespace SecScan.Extraction;

/// <summary>The media types the sniffer assigns. Extractors register for these.</summary>
public static class MediaTypes
{
    public const string PlainText = "text/plain";
    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public const string Ofd = "application/ofd";
    /// <summary>What the sniffer says of any OpenDocument file, zipped or flat; the extractor reports the kind below.</summary>
    public const string Odf = "application/vnd.oasis.opendocument";
    public const string Odt = "application/vnd.oasis.opendocument.text";
    public const string Ods = "application/vnd.oasis.opendocument.spreadsheet";
    public const string Odp = "application/vnd.oasis.opendocument.presentation";
    public const string Odg = "application/vnd.oasis.opendocument.graphics";
    public const string Zip = "application/zip";
    public const string Ole2 = "application/x-ole-storage";
    public const string Doc = "application/msword";
    public const string Xls = "application/vnd.ms-excel";
    public const string Ppt = "application/vnd.ms-powerpoint";
    public const string Msg = "application/vnd.ms-outlook";
    public const string EncryptedOoxml = "application/x-encrypted-ooxml";
    public const string Rtf = "application/rtf";
    public const string Html = "text/html";
    public const string Mht = "multipart/related";
    public const string Unknown = "application/octet-stream";

    // Mail and archives.
    public const string Eml = "message/rfc822";
    public const string SevenZip = "application/x-7z-compressed";
    public const string Rar = "application/vnd.rar";
    public const string Tar = "application/x-tar";
    public const string GZip = "application/gzip";
    public const string BZip2 = "application/x-bzip2";
    public const string Xz = "application/x-xz";
}
