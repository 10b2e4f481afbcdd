using System.Text;
using System.Text.Unicode;
using MimeKit;
using MimeKit.Cryptography;
using SecScan.Core.Documents;
using SecScan.Core.Extraction;
using SecScan.Extraction.Archives;
using SecScan.Extraction.Text;

namespace SecScan.Extraction.Mail;

/// <summary>
/// Reads an RFC 5322 message (.eml) with MimeKit: the Subject, From, To and Cc headers (RFC 2047 decoded,
/// GBK and GB2312 included) as header segments named after the field; text and HTML bodies (HTML reduced to
/// its visible text) as body segments; every attachment and every attached message (message/rfc822) as a
/// child document through the dispatcher, named by its RFC 2231 / RFC 2047 decoded file name.
/// </summary>
/// <remarks>
/// Attachments take a member and their size from the file's shared budget (<see cref="MemberReader"/>).
/// Encrypted bodies (S/MIME enveloped data, PGP/MIME) are an Encrypted note; detached signatures carry no
/// text and are skipped; inline images are an ImagesNotInspected note. A message MimeKit cannot parse is one
/// Corrupt note. Throws only <see cref="OperationCanceledException"/>. Stateless and thread-safe.
/// </remarks>
public sealed class MailExtractor : IExtractor
{
    /// <summary>Deeper multipart nesting than this is not real mail; MimeKit stops there.</summary>
    private const int MaxMimeDepth = 64;

    private static readonly string[] HeaderFields = ["Subject", "From", "To", "Cc"];

    static MailExtractor() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public IReadOnlyCollection<string> MediaTypes { get; } = [Extraction.MediaTypes.Eml];

    public ExtractedDocument Extract(Stream stream, ExtractionContext context)
    {
        // Undeclared 8-bit header text (a raw GBK subject) falls back to GB18030 once UTF-8 fails.
        var options = new ParserOptions { CharsetEncoding = TextDecoder.Gb18030, MaxMimeDepth = MaxMimeDepth };
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(options, stream, context.CancellationToken);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or IOException or ArgumentException or InvalidOperationException)
        {
            return ExtractedDocument.Unreadable(Extraction.MediaTypes.Eml, new CoverageNote(CoverageKind.Corrupt,
                $"message could not be parsed: {SafeText.Of(ex)}", context.At()));
        }
        using (message)
        {
            var run = new MailRun(context, stream.Length);
            run.ReadHeaders(message);
            if (message.Body is { } body)
            {
                run.Visit(body, depth: 0);
                using var raw = StreamBytes.Rent(stream, context.Limits.MaxInputBytes);
                run.CheckClosingBoundaries(body, raw.Memory.Span);
            }
            return run.Finish();
        }
    }

    /// <summary>The state of one message's extraction.</summary>
    private sealed class MailRun(ExtractionContext context, long messageBytes)
    {
        private readonly List<TextSegment> _segments = [];
        private readonly MemberReader _members = new(context, messageBytes);
        private long _characters;
        private bool _truncated;
        private int _images;
        private int _attachments;
        private int _bodies;

        public void ReadHeaders(MimeMessage message)
        {
            foreach (var field in HeaderFields)
            {
                string? value = field switch
                {
                    "Subject" => message.Subject,
                    "From" => Addresses(message.From),
                    "To" => Addresses(message.To),
                    _ => Addresses(message.Cc),
                };
                if (!string.IsNullOrWhiteSpace(value)) AddText(value, context.At(SegmentPart.Header) with { PartName = field });
            }
        }

        /// <summary>Display names and addresses, decoded: "张三 &lt;zhang@example.cn&gt;, …".</summary>
        private static string Addresses(InternetAddressList list) => list.Count == 0 ? "" : list.ToString(FormatOptions.Default, encode: false);

        public void Visit(MimeEntity entity, int depth)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            switch (entity)
            {
                case MultipartEncrypted:
                    Note(CoverageKind.Encrypted, "PGP/MIME encrypted content: not read");
                    return;
                case ApplicationPkcs7Mime pkcs7:
                    if (pkcs7.SecureMimeType is SecureMimeType.EnvelopedData or SecureMimeType.AuthEnvelopedData or SecureMimeType.Unknown)
                        Note(CoverageKind.Encrypted, "S/MIME encrypted content: not read");
                    else
                        Note(CoverageKind.Unsupported, "S/MIME signed or compressed content: not read");
                    return;
                case MultipartSigned signed:
                    // The first part is the content; the second a detached signature, which carries no text.
                    if (signed.Count > 0) Visit(signed[0], depth + 1);
                    return;
                case Multipart multipart:
                    foreach (var part in multipart) Visit(part, depth + 1);
                    return;
                case MessagePart attached:
                    ReadAttachedMessage(attached);
                    return;
                case TextPart text when !text.IsAttachment:
                    ReadBody(text);
                    return;
                case MimePart part:
                    ReadAttachment(part);
                    return;
            }
        }

        private void ReadBody(TextPart text)
        {
            var bytes = Decode(text);
            var body = DecodeText(bytes, text.ContentType.Charset);
            if (text.IsHtml) body = HtmlText.ToText(body);
            if (string.IsNullOrWhiteSpace(body)) return;
            _bodies++;
            // The first body keeps a bare location ("mail.eml"); later ones (an HTML alternative, a second
            // inline part) are named so that a reviewer can tell them apart.
            var at = context.At() with { PartName = _bodies == 1 ? null : $"body part {_bodies}" };
            AddText(body, at);
        }

        private void ReadAttachment(MimePart part)
        {
            if (IsSignature(part.ContentType)) return;
            _attachments++;
            var bytes = Decode(part);
            if (part.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase) && IsImage(bytes))
            {
                _images++;
                return;
            }
            var name = Clean(part.FileName) ?? $"attachment {_attachments}";
            _members.Read(name, bytes);
        }

        private void ReadAttachedMessage(MessagePart attached)
        {
            _attachments++;
            if (attached.Message is null) return;
            var name = Clean(attached.ContentDisposition?.FileName ?? attached.ContentType.Name) ?? $"attached message {_attachments}.eml";
            using var copy = new MemoryStream();
            attached.Message.WriteTo(copy, context.CancellationToken);
            _members.Read(name, copy.ToArray());
        }

        public ExtractedDocument Finish()
        {
            _members.Finish();
            var coverage = new List<CoverageNote>(_members.Coverage);
            if (_images > 0)
                coverage.Add(new CoverageNote(CoverageKind.ImagesNotInspected,
                    _images == 1 ? "1 image not inspected" : $"{_images} images not inspected", context.At()));
            if (_truncated)
                coverage.Add(new CoverageNote(CoverageKind.LimitExceeded,
                    $"only the first {context.Limits.MaxCharacters:N0} characters were read", context.At()));
            return new ExtractedDocument(Extraction.MediaTypes.Eml, _segments, _notes.Concat(coverage).ToList(), _members.Children);
        }

        private readonly List<CoverageNote> _notes = [];

        /// <summary>
        /// Every multipart ends with its closing delimiter "--boundary--" (RFC 2046 5.1.1). MimeKit reads a message cut
        /// short (a gateway's size limit, a broken transfer) without complaint, the parts after the cut simply missing:
        /// a multipart whose closing delimiter is nowhere in the message is a Corrupt note, so the mail is reviewed.
        /// </summary>
        public void CheckClosingBoundaries(MimeEntity body, ReadOnlySpan<byte> raw)
        {
            foreach (var multipart in body is Multipart top ? Multiparts(top) : [])
            {
                if (string.IsNullOrEmpty(multipart.Boundary)) continue;
                var closing = Encoding.ASCII.GetBytes("--" + multipart.Boundary + "--");
                if (raw.IndexOf(closing) < 0)
                    Note(CoverageKind.Corrupt, $"the message is cut short: its {multipart.ContentType.MimeType} part has no closing boundary, so parts after the cut are missing");
            }
        }

        private static IEnumerable<Multipart> Multiparts(Multipart multipart)
        {
            yield return multipart;
            foreach (var inner in multipart.OfType<Multipart>())
                foreach (var m in Multiparts(inner)) yield return m;
        }

        private void Note(CoverageKind kind, string message) => _notes.Add(new CoverageNote(kind, message, context.At()));

        private void AddText(string text, Location at)
        {
            if (_truncated) return;
            long left = context.Limits.MaxCharacters - _characters;
            if (text.Length > left)
            {
                text = text[..(int)Math.Max(0, left)];
                _truncated = true;
            }
            _characters += text.Length;
            if (text.Length > 0) _segments.Add(new TextSegment(text, at));
        }

        private byte[] Decode(MimePart part)
        {
            if (part.Content is null) return [];
            using var decoded = new MemoryStream();
            part.Content.DecodeTo(decoded, context.CancellationToken);
            return decoded.ToArray();
        }
    }

    /// <summary>Text in its declared charset; GB2312 and GBK labels read as GB18030, their superset; undeclared or wrong labels go to the Chinese text decoder.</summary>
    internal static string DecodeText(byte[] bytes, string? charset)
    {
        if (bytes.Length == 0) return "";
        Encoding? declared = null;
        if (!string.IsNullOrWhiteSpace(charset))
        {
            var label = charset.Trim().ToLowerInvariant();
            if (label is "gb2312" or "gbk" or "x-gbk" or "cp936" or "gb18030" or "euc-cn" or "csgb2312" or "windows-936")
                declared = TextDecoder.Gb18030;
            else
            {
                try
                {
                    declared = Encoding.GetEncoding(label);
                }
                catch (ArgumentException)
                {
                    declared = null;
                }
            }
        }
        bool ascii = !bytes.AsSpan().ContainsAnyExceptInRange((byte)0, (byte)0x7F);
        // "us-ascii" or "utf-8" labels on GBK bytes are common in mail from old clients: trust a label only
        // when the bytes agree with it.
        if (declared is not null && !(declared.CodePage == 20127 && !ascii) && !(declared.CodePage == 65001 && !Utf8.IsValid(bytes)))
            return declared.GetString(bytes);
        return TextDecoder.Decode(bytes).Text;
    }

    private static bool IsSignature(ContentType type) =>
        type.IsMimeType("application", "pkcs7-signature") || type.IsMimeType("application", "x-pkcs7-signature")
        || type.IsMimeType("application", "pgp-signature");

    /// <summary>PNG, JPEG, GIF, BMP, WebP and TIFF by their magic bytes: an image label alone is not trusted.</summary>
    internal static bool IsImage(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) || bytes.StartsWith("GIF8"u8)
        || bytes.StartsWith("BM"u8) || (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..].StartsWith("WEBP"u8))
        || bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8);

    /// <summary>A usable child name: no control characters, no directory part written by the sender.</summary>
    private static string? Clean(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var sb = new StringBuilder(name.Length);
        foreach (char c in name) sb.Append(char.IsControl(c) ? ' ' : c);
        var clean = sb.ToString().Trim();
        int slash = clean.LastIndexOfAny(['/', '\\']);
        if (slash >= 0 && slash < clean.Length - 1) clean = clean[(slash + 1)..];
        return clean.Length == 0 ? null : clean;
    }
}
