using System.Text;
using MimeKit;

namespace SecScan.CorpusGen;

/// <summary>
/// The mail samples written with MimeKit, encoded the way Chinese mail clients (Foxmail, older Outlook) write
/// them: GBK headers in RFC 2047 encoded-words, GBK bodies, and GBK attachment names in RFC 2231 parameters.
/// </summary>
internal static class MailSamples
{
    private static readonly DateTimeOffset Sent = new(2024, 3, 15, 9, 30, 0, TimeSpan.FromHours(8));

    static MailSamples() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static IEnumerable<(string File, Action<string> Write)> All() =>
    [
        ("eml-gbk-attachment.eml", GbkAttachment),
        ("eml-public-notice.eml", PublicNotice),
    ];

    /// <summary>A covering note with a GBK subject; the attachment 附件.docx opens with 机密★10年.</summary>
    private static void GbkAttachment(string path)
    {
        var gbk = Encoding.GetEncoding("GBK");
        var message = new MimeMessage { Date = Sent, MessageId = "20240315093000.1@fgw.example.cn" };
        message.From.Add(new MailboxAddress(gbk, "市发展改革委办公室", "office@fgw.example.cn"));
        message.To.Add(new MailboxAddress(gbk, "重大项目办公室", "xmb@fgw.example.cn"));
        message.Headers.Replace(HeaderId.Subject, gbk, "转发：关于XX项目建设的通知");

        var body = new TextPart("plain");
        body.SetText(gbk, "各位同事：\n\n现将《关于XX项目建设的通知》转发给你们，请按通知要求做好相关工作。\n\n办公室\n2024年3月15日\n");

        var docx = Path.GetTempFileName();
        try
        {
            DocxSamples.FirstLineMarkingTo(docx);
            var attachment = new MimePart("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
            {
                Content = new MimeContent(new MemoryStream(File.ReadAllBytes(docx))),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
            };
            // RFC 2231 with the GBK charset: filename*=GBK''%B8%BD%BC%FE.docx
            attachment.ContentDisposition.Parameters.Add(new Parameter(gbk, "filename", "附件.docx") { EncodingMethod = ParameterEncodingMethod.Rfc2231 });
            attachment.ContentType.Parameters.Add(new Parameter(gbk, "name", "附件.docx") { EncodingMethod = ParameterEncodingMethod.Rfc2047 });
            message.Body = new Multipart("mixed") { body, attachment };
            message.WriteTo(path);
        }
        finally
        {
            File.Delete(docx);
        }
    }

    /// <summary>A public event announcement in UTF-8, plain text and HTML alternatives, no attachment.</summary>
    private static void PublicNotice(string path)
    {
        var message = new MimeMessage { Date = Sent, MessageId = "20240315093000.2@library.example.cn" };
        message.From.Add(new MailboxAddress("市图书馆", "news@library.example.cn"));
        message.To.Add(new MailboxAddress("读者服务群", "readers@library.example.cn"));
        message.Subject = "市图书馆春季读书节活动安排";
        var builder = new BodyBuilder
        {
            TextBody = "各位读者：\n\n市图书馆2024年春季读书节将于4月20日至5月5日举行，活动包括名家讲座、亲子共读和旧书交换。\n欢迎广大市民参加，活动详情请关注图书馆官方网站。\n\n市图书馆\n",
            HtmlBody = "<html><head><style>p{margin:0}</style></head><body><p>各位读者：</p>" +
                "<p>市图书馆2024年春季读书节将于4月20日至5月5日举行，活动包括名家讲座、亲子共读和旧书交换。</p>" +
                "<p>欢迎广大市民参加，活动详情请关注图书馆官方网站。</p><p>市图书馆</p></body></html>",
        };
        message.Body = builder.ToMessageBody();
        message.WriteTo(path);
    }
}
