using System.Text;
using MimeKit;
using MimeKit.Text;

namespace SecScan.CorpusGen;

/// <summary>
/// An MHT "saved web page" laid out as Internet Explorer writes one (From: &lt;Saved by …&gt;, Subject, Date,
/// MIME-Version, multipart/related with type="text/html"; the page as quoted-printable gb2312 with a
/// Content-Location, then its image as base64). Written with MimeKit: no MHT writer runs headless here.
/// </summary>
internal static class MhtSamples
{
    public static IEnumerable<(string File, Action<string> Write)> All() => [("mht-saved-page.mht", Write)];

    private static void Write(string path)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var message = new MimeMessage();
        message.Headers.Replace("From", "<Saved by Windows Internet Explorer 11>");
        message.Subject = "内部通报";
        message.Date = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8));
        const string html = """
            <!DOCTYPE html>
            <html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>内部通报</title></head>
            <body>
            <p style="text-align:right">秘密★1年</p>
            <h1>关于近期网络安全事件的通报</h1>
            <p>各部门：近期发现多起针对办公终端的钓鱼邮件，现将有关情况通报如下。</p>
            <p><img src="http://intranet.example.invalid/images/logo.png" alt="单位标识"></p>
            <p>请各部门加强终端管理，不点击来历不明的链接。</p>
            </body></html>
            """;
        var page = new TextPart(TextFormat.Html) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        page.SetText(Encoding.GetEncoding("gb2312"), html);
        page.ContentLocation = new Uri("http://intranet.example.invalid/notice/2026-03.html");
        // A 1×1 PNG.
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var image = new MimePart("image", "png")
        {
            Content = new MimeContent(new MemoryStream(png)),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentLocation = new Uri("http://intranet.example.invalid/images/logo.png"),
        };
        var related = new MultipartRelated { page, image };
        related.ContentType.Parameters.Add("type", "text/html");
        message.Body = related;
        message.Headers.Remove(HeaderId.MessageId);
        using var stream = File.Create(path);
        message.WriteTo(stream);
    }
}
