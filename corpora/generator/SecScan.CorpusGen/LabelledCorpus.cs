using System.Globalization;
using System.Security;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace SecScan.CorpusGen;

/// <summary>
/// The labelled evaluation corpus (corpora/labelled): public genres that must be allowed and held genres
/// that must be reviewed or blocked, written as TXT (UTF-8, GBK, UTF-16), DOCX (OpenXml SDK, real headers,
/// text boxes, tables, comments) and FODT sources that corpora/tools/make-labelled-pdfs.sh turns into PDF
/// with LibreOffice in one batch. Deterministic: a fixed seed; prose comes from
/// corpora/labelled-src/manpages-zh-prose.txt (Debian manpages-zh, see PROVENANCE.md).
/// </summary>
internal sealed class LabelledCorpus
{
    private const int Seed = 20240601;
    private static readonly DateTime Written = new(2024, 3, 15, 9, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Provinces = ["11", "31", "32", "33", "35", "37", "44", "51", "61", "42"];

    private readonly Random _rng = new(Seed);
    private readonly string[] _prose;
    private readonly string _out;
    private readonly List<string> _labels = ["file\texpected\tcategory\tsplit\trules"];
    private int _n;

    private LabelledCorpus(string output, string proseFile)
    {
        _out = output;
        _prose = File.ReadAllLines(proseFile, Encoding.UTF8).Where(l => l.Length > 0).ToArray();
    }

    public static void Write(string output, string proseFile)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        if (Directory.Exists(output))
            foreach (var f in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)) File.Delete(f);
        Directory.CreateDirectory(Path.Combine(output, "fodt"));
        var c = new LabelledCorpus(output, proseFile);
        c.All();
        File.WriteAllLines(Path.Combine(output, "labels.tsv"), c._labels, new UTF8Encoding(false));
    }

    /// <summary>A document before it is written in a format.</summary>
    private sealed record Doc(string Title, List<string> Body)
    {
        public string? Header { get; init; }
        public string? TextBox { get; init; }
        public (string Label, string Value)? Cover { get; init; }
        public List<string[]>? Table { get; init; }
        public string? Comment { get; init; }
        /// <summary>Lines written before the title (份号, marking).</summary>
        public List<string> Before { get; init; } = [];
    }

    private enum Format { Utf8, Gbk, Utf16, Docx, Pdf }

    private void All()
    {
        // Public genres: must be allowed.
        Many(60, "tech-manual", "allow", TechManual);
        Many(30, "news", "allow", News);
        Many(30, "law-education", "allow", LawEducation);
        Many(25, "tourism", "allow", Tourism);
        Many(20, "survey-news", "allow", SurveyNews);
        Many(20, "exam-notice", "allow", ExamNotice);
        Many(25, "tender-notice", "allow", TenderNotice);
        Many(20, "infosec-article", "allow", InfosecArticle);
        Many(15, "film-review", "allow", FilmReview);
        Many(15, "format-template", "allow", FormatTemplate);
        // Held genres.
        Many(64, "marked-notice", "block", MarkedNotice);
        Many(15, "minutes", "block", Minutes);
        Many(15, "internal-notice", "review", InternalNotice);
        Many(25, "customer-list", "block", CustomerList);
        Many(10, "personal-data", "review", PersonalData);
        Many(15, "price-list", "block", PriceList);
        Many(10, "private-key", "block", PrivateKey);
        Many(15, "control-points", "block", ControlPoints);
        Many(10, "transform-parameters", "block", TransformParameters);
    }

    private void Many(int count, string category, string expected, Func<int, (Doc Doc, Format? Format, string Rules)> make)
    {
        for (int i = 0; i < count; i++)
        {
            var (doc, forced, rules) = make(i);
            var format = forced ?? PickFormat();
            var name = $"{category}-{i + 1:000}";
            var file = format switch
            {
                Format.Docx => name + ".docx",
                Format.Pdf => name + ".pdf",
                Format.Gbk => name + "-gbk.txt",
                Format.Utf16 => name + "-utf16.txt",
                _ => name + ".txt",
            };
            switch (format)
            {
                case Format.Docx: WriteDocx(Path.Combine(_out, file), doc); break;
                case Format.Pdf: File.WriteAllText(Path.Combine(_out, "fodt", name + ".fodt"), Fodt(doc), new UTF8Encoding(false)); break;
                default: WriteText(Path.Combine(_out, file), doc, format); break;
            }
            string split = _rng.NextDouble() < 0.3 ? "holdout" : "tune";
            _labels.Add($"{file}\t{expected}\t{category}\t{split}\t{(rules.Length == 0 ? "-" : rules)}");
            _n++;
        }
    }

    private Format PickFormat() => _rng.Next(100) switch
    {
        < 30 => Format.Utf8,
        < 42 => Format.Gbk,
        < 50 => Format.Utf16,
        < 78 => Format.Docx,
        _ => Format.Pdf,
    };

    // ---- public genres ---------------------------------------------------------------------------

    private (Doc, Format?, string) TechManual(int i)
    {
        var body = Prose(_rng.Next(4, 9));
        return (new Doc(Pick(["命令行工具使用说明", "系统管理手册摘录", "软件包文档", "常用命令参考", "Shell 使用指南"]) + $"（{i + 1}）", body), null, "");
    }

    private (Doc, Format?, string) News(int i)
    {
        var city = Pick(Cities);
        var body = new List<string>
        {
            $"本报讯 {Month()}，{city}召开{Pick(["优化营商环境", "科技创新", "乡村振兴", "城市更新", "数字政府建设"])}工作推进会，总结前一阶段工作成效，部署下一步重点任务。",
            $"会议指出，今年以来{city}共引进重点项目{_rng.Next(20, 90)}个，完成投资{_rng.Next(50, 400)}亿元，同比增长{_rng.Next(3, 20)}%。",
            $"会议要求，各部门要坚持问题导向，进一步压缩审批时限，推动更多事项“一网通办”，切实提升群众和企业的获得感。",
        };
        body.AddRange(Prose(_rng.Next(1, 3)));
        body.Add($"（记者 {Pick(Surnames)}{Pick(GivenNames)}）");
        return (new Doc($"{city}推进重点工作取得新进展", body), null, "");
    }

    private (Doc, Format?, string) LawEducation(int i)
    {
        var body = new List<string>
        {
            "根据《中华人民共和国保守国家秘密法》第十三条的规定，国家秘密的密级分为绝密、机密、秘密三级。",
            $"国家秘密的标志为“★”，“★”前标密级，“★”后标保密期限。例如，保密期限为十年的机密级文件，应标注为“机密★10年”；{Pick(["保密期限为一年的秘密级文件标注为“秘密★1年”。", "绝密级事项的保密期限一般不超过三十年。", "机密级事项的保密期限一般不超过二十年。"])}",
            "保密宣传教育是保密工作的基础。机关、单位应当定期开展保密知识培训，结合典型泄密案例进行警示教育。",
            $"第{Pick(["十五", "二十", "二十八", "三十"])}条规定，机关、单位应当加强对互联网使用的保密管理，不得在互联网上存储、处理国家秘密信息。",
        };
        if (i % 3 == 0) body.Add("思考题：一份保密期限为五年的机密级文件，应当如何标注？答案：机密★5年。");
        return (new Doc(Pick(["保密法小课堂", "保密知识问答", "保密教育月专题", "国家秘密标志知多少"]), body), null, "");
    }

    private (Doc, Format?, string) Tourism(int i)
    {
        var spot = Pick(["秘密花园", "云海栈道", "古城墙", "湿地公园", "千年银杏"]);
        double lon = 100 + _rng.NextDouble() * 20, lat = 22 + _rng.NextDouble() * 18;
        var body = new List<string>
        {
            $"{spot}景区位于东经{lon.ToString("0.00", CultureInfo.InvariantCulture)}°、北纬{lat.ToString("0.00", CultureInfo.InvariantCulture)}°附近，距市区约{_rng.Next(10, 80)}公里，是周末自驾游的好去处。",
            $"景区内步道全长{_rng.Next(3, 15)}公里，沿途可以欣赏到{Pick(["杜鹃花海", "高山草甸", "瀑布群", "古村落"])}，春秋两季游客最多。",
            "门票成人60元，学生半价；景区开放时间为每天8:00至17:30，节假日延长一小时。",
            $"咨询电话：0{_rng.Next(551, 999)}-{_rng.Next(2000000, 8999999)}（景区游客中心）。",
        };
        return (new Doc($"{spot}一日游攻略", body), null, "");
    }

    private (Doc, Format?, string) SurveyNews(int i)
    {
        var city = Pick(Cities);
        var body = new List<string>
        {
            $"近日，{city}自然资源和规划局完成全市1:2000基础地形图更新工作，更新面积约{_rng.Next(200, 900)}平方公里。",
            "此次更新采用无人机航摄与外业调绘相结合的方式，成果已通过省级质检，将在国土空间规划、不动产登记等工作中发挥重要作用。",
            "据介绍，测绘成果的提供和使用严格按照国家有关规定执行，涉密测绘成果不得在互联网上传输。",
            $"下一步，{city}将加快推进实景三维{city}建设，提升地理信息公共服务能力。",
        };
        return (new Doc($"{city}完成基础测绘年度任务", body), null, "");
    }

    private (Doc, Format?, string) ExamNotice(int i)
    {
        var year = 2024 + i % 2;
        var body = new List<string>
        {
            $"{year}年度{Pick(["事业单位公开招聘", "专业技术资格", "公务员录用", "教师资格"])}考试将于{_rng.Next(3, 11)}月{_rng.Next(1, 28)}日举行，现将有关事项公告如下。",
            "一、考生须在规定时间内登录报名网站打印准考证，凭准考证和有效身份证件参加考试。",
            "二、考试时间为上午9:00至11:00，开考30分钟后不得入场。考生不得携带手机等通讯工具进入考场。",
            "三、注意事项：请考生提前熟悉考点位置，自觉遵守考场纪律。",
            $"咨询电话：0{_rng.Next(10, 99)}-{_rng.Next(20000000, 89999999)}（工作日）。",
        };
        return (new Doc($"关于{year}年度考试有关事项的公告", body), null, "");
    }

    private (Doc, Format?, string) TenderNotice(int i)
    {
        var unit = Pick(["XX市公共资源交易中心", "XX县教育局", "XX区卫生健康委员会", "XX市人民医院", "XX市财政局"]);
        var body = new List<string>
        {
            $"{unit}就{Pick(["办公设备采购", "校园安防改造", "道路维修工程", "信息系统运维服务"])}项目进行公开招标，欢迎合格的供应商参加投标。",
            $"采购人：{unit}（统一社会信用代码：{Pick(Usccs)}）",
            $"项目预算：{_rng.Next(50, 900)}万元。投标保证金：{_rng.Next(1, 9)}万元，须在投标截止时间前由投标人基本账户转出。",
            "保证金收款账户：",
            $"户名：{unit}",
            $"开户行：{Pick(["中国建设银行", "中国工商银行", "中国农业银行"])}XX支行",
            $"账号：{_rng.Next(3301, 4409)}{_rng.NextInt64(100000000000000, 999999999999999)}",
            $"联系电话：0{_rng.Next(551, 999)}-{_rng.Next(2000000, 8999999)}",
        };
        return (new Doc($"{unit}采购项目招标公告", body), null, "");
    }

    private (Doc, Format?, string) InfosecArticle(int i)
    {
        var body = new List<string>
        {
            "信息安全的三个基本属性是机密性、完整性和可用性。机密性要求信息不被未授权的用户读取。",
            "实现机密性的常见手段包括访问控制、数据加密和安全审计。对称加密算法速度快，适合大量数据；非对称加密便于密钥分发。",
            "在系统设计阶段，应当根据数据的敏感程度划分保护等级，对含有个人信息和商业秘密的数据采取更严格的措施。",
        };
        body.AddRange(Prose(_rng.Next(1, 3)));
        return (new Doc(Pick(["浅谈数据机密性保护", "信息系统安全设计要点", "加密技术入门"]), body), null, "");
    }

    private (Doc, Format?, string) FilmReview(int i)
    {
        var title = Pick(["秘密花园", "秘密森林", "机密特工", "绝密档案"]);
        var body = new List<string>
        {
            $"《{title}》★★★★☆",
            $"影片讲述了一个关于成长与友谊的故事，画面精致，配乐动人。导演用细腻的镜头语言展现了人物内心的变化。",
            $"豆瓣评分{_rng.Next(70, 92) / 10.0:0.0}，推荐指数：★★★★",
            "总体来说，这是一部适合全家观看的作品，值得一看。",
        };
        return (new Doc($"影评｜《{title}》：温暖的童年回忆", body), null, "");
    }

    private (Doc, Format?, string) FormatTemplate(int i)
    {
        var body = new List<string>
        {
            "党政机关公文格式式样（示例）",
            "000001",
            "机密★1年",
            "特急",
            "×××〔20××〕×号",
            "关于×××××的通知",
            "×××××：",
            "格式要求：发文机关标志居中排布，上边缘至版心上边缘为35mm。正文用3号仿宋体字，一般每面排22行，每行排28个字。",
        };
        return (new Doc("公文格式模板", body), null, "");
    }

    // ---- held genres -----------------------------------------------------------------------------

    private static readonly string[] Marks = ["机密★10年", "秘密★1年", "机密★5年", "秘密★3年", "绝密★20年", "秘密★6个月"];

    private (Doc, Format?, string) MarkedNotice(int i)
    {
        var mark = Marks[i % Marks.Length];
        var body = NoticeBody();
        var title = $"关于{Pick(["做好重点项目推进", "加强应急值守", "开展专项检查", "调整工作部署"])}工作的通知";
        const string rule = "state-secret-marking";
        switch (i % 8)
        {
            case 0: return (new Doc(title, body) { Before = [mark] }, null, rule);
            case 1: return (new Doc(title, body) { Header = mark }, Format.Docx, rule);
            case 2: return (new Doc(title, body) { TextBox = mark }, Format.Docx, rule);
            case 3: return (new Doc(title, body) { Cover = ("密级", mark) }, Format.Docx, "");
            case 4: return (new Doc(title.Replace("关于", "關於", StringComparison.Ordinal), body) { Before = [mark.Replace("机密", "機密", StringComparison.Ordinal).Replace("个月", "個月", StringComparison.Ordinal)] }, Format.Utf8, rule);
            case 5: return (new Doc(title, body) { Before = [FullWidth(mark)] }, null, rule);
            case 6: return (new Doc(title, body) { Before = [string.Join("\u200B", mark.ToCharArray())] }, Pick([Format.Utf8, Format.Docx]), rule);
            default: return (new Doc(title, body) { Before = ["000" + _rng.Next(100, 999), string.Join(" ", mark[..2].ToCharArray()) + mark[2..], "特急"] }, null, rule);
        }
    }

    private (Doc, Format?, string) Minutes(int i)
    {
        var body = new List<string>
        {
            $"时间：{Month()}{_rng.Next(1, 28)}日上午9:00",
            "地点：机关三楼会议室",
            $"主持：{Pick(Surnames)}{Pick(GivenNames)}",
            "会议听取了有关情况汇报，研究了下一阶段工作安排，议定事项如下：",
            $"一、原则同意{Pick(["项目实施方案", "人员调整方案", "资金安排意见"])}，由办公室会同有关部门抓紧落实。",
            "二、各部门要严格落实保密要求，会议内容不得外传。",
        };
        return (new Doc("专题会议纪要", body) { Before = [Pick(["秘密★6个月", "机密★1年", "秘密★1年"])] }, null, "state-secret-marking");
    }

    private (Doc, Format?, string) InternalNotice(int i)
    {
        var body = NoticeBody();
        return i % 2 == 0
            ? (new Doc("2024年第一季度工作简报", body) { Header = "内部资料 注意保存" }, Format.Docx, "work-secret-marking")
            : (new Doc("2024年第一季度工作简报", body) { Before = ["内部资料 注意保存"] }, null, "work-secret-marking");
    }

    private (Doc, Format?, string) CustomerList(int i)
    {
        var rows = new List<string[]> { CustomerHeader };
        int n = _rng.Next(6, 14);
        for (int r = 0; r < n; r++)
            rows.Add([(r + 1).ToString(CultureInfo.InvariantCulture), $"{Pick(Cities)}{Pick(["贸易", "科技", "建材", "物流"])}有限公司", Pick(Surnames) + Pick(GivenNames), IdNumber(), Mobile(), $"{Pick(Cities)}{Pick(["中山路", "人民路", "解放路"])}{_rng.Next(1, 300)}号"]);
        var doc = new Doc($"{2024 + i % 2}年重点客户名单", ["以下为本年度重点客户信息，请销售部门做好回访工作。"]) { Table = rows };
        return (doc, i % 3 == 0 ? Format.Docx : null, "customer-list");
    }

    private (Doc, Format?, string) PersonalData(int i)
    {
        var name = Pick(Surnames) + Pick(GivenNames);
        var body = new List<string>
        {
            $"申请人{name}，身份证号码：{IdNumber()}，现住{Pick(Cities)}{Pick(["中山路", "人民路"])}{_rng.Next(1, 300)}号。",
            "申请事项：申请办理房屋产权变更登记。",
            "经审核，申请材料齐全，符合受理条件，现予受理。",
        };
        return (new Doc("受理通知书", body), null, "id-number");
    }

    private (Doc, Format?, string) PriceList(int i)
    {
        var rows = new List<string[]> { PriceHeader };
        for (int r = 0; r < _rng.Next(6, 12); r++)
            rows.Add([$"{Pick(Cities)}{Pick(["机电", "钢材", "电缆"])}有限公司", Pick(Surnames) + "经理", $"0{_rng.Next(551, 999)}-{_rng.Next(2000000, 8999999)}", _rng.Next(1000, 99999).ToString(CultureInfo.InvariantCulture), $"{_rng.Next(80, 98)}%"]);
        var mark = $"{Pick(["XX集团", "XX股份公司", "XX电力公司"])}{Pick(["普通商密▲3年", "核心商密▲5年", "普通商密▲2年"])}";
        var doc = new Doc("2024年度供应商报价汇总表", ["本表汇总了年度框架采购的供应商报价，仅供采购评审使用。"]) { Table = rows };
        return i % 2 == 0 ? (doc with { TextBox = mark }, Format.Docx, "customer-list") : (doc with { Before = [mark] }, null, "customer-list");
    }

    private (Doc, Format?, string) PrivateKey(int i)
    {
        var b64 = new StringBuilder();
        var lines = new List<string> { "部署说明：将下面的私钥保存为 ~/.ssh/id_rsa，并设置权限 600。", Pick(["-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----"]) };
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int l = 0; l < 12; l++)
        {
            b64.Clear();
            for (int c = 0; c < 64; c++) b64.Append(alphabet[_rng.Next(alphabet.Length)]);
            lines.Add(b64.ToString());
        }
        lines.Add(lines[1].Replace("BEGIN", "END", StringComparison.Ordinal));
        lines.Add("数据库连接：password=" + _rng.Next(100000, 999999));
        return (new Doc("服务器运维交接记录", lines), i % 2 == 0 ? Format.Utf8 : null, "private-key");
    }

    private (Doc, Format?, string) ControlPoints(int i)
    {
        var rows = new List<string[]> { ControlHeader };
        // Zone 39 eastings within 200 km of the central meridian (a real 3° zone spans ±170 km at this latitude):
        // one draw per value, as before, so the rest of the corpus is unchanged.
        for (int r = 0; r < 8; r++)
            rows.Add([$"GP{r + 1:00}", $"44{_rng.Next(10000, 99999)}.{_rng.Next(100, 999)}", $"39{_rng.Next(300000, 700000)}.{_rng.Next(100, 999)}", $"{_rng.Next(10, 90)}.{_rng.Next(100, 999)}", "E级"]);
        var doc = new Doc("GNSS控制点成果表", ["坐标系统：CGCS2000，中央子午线117°，高程基准：1985国家高程基准。"]) { Table = rows };
        return (doc, null, "");
    }

    private (Doc, Format?, string) TransformParameters(int i)
    {
        var body = new List<string>
        {
            "北京54坐标系转CGCS2000坐标系七参数如下：",
            $"ΔX={_rng.Next(-200, 200)}.{_rng.Next(1000, 9999)}m  ΔY={_rng.Next(-200, 200)}.{_rng.Next(1000, 9999)}m  ΔZ={_rng.Next(-200, 200)}.{_rng.Next(1000, 9999)}m",
            $"εX={_rng.Next(-9, 9)}.{_rng.Next(100000, 999999)}″  εY={_rng.Next(-9, 9)}.{_rng.Next(100000, 999999)}″  εZ={_rng.Next(-9, 9)}.{_rng.Next(100000, 999999)}″",
            $"m={_rng.Next(-9, 9)}.{_rng.Next(100000, 999999)}ppm",
            "适用范围：本测区1:500地形图数据转换。",
        };
        return (new Doc("坐标转换参数", body), null, "");
    }

    // ---- values ------------------------------------------------------------------------------------

    private static readonly string[] CustomerHeader = ["序号", "客户名称", "联系人", "身份证号", "手机", "地址"];
    private static readonly string[] PriceHeader = ["供应商名称", "联系人", "电话", "报价（元）", "折扣"];
    private static readonly string[] ControlHeader = ["点名", "X(m)", "Y(m)", "H(m)", "等级"];
    private static readonly string[] Cities = ["杭州市", "厦门市", "成都市", "青岛市", "武汉市", "西安市", "南京市", "苏州市"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    private static readonly string[] GivenNames = ["伟", "芳", "敏", "静", "磊", "洋", "婷", "强", "军", "丽"];
    private static readonly string[] Usccs = ["91350200776049653A", "913502000728319549", "91440101MA5CJQ4N59"];

    private string IdNumber()
    {
        var birth = new DateTime(1955, 1, 1).AddDays(_rng.Next(0, 365 * 48));
        var s = Pick(Provinces) + _rng.Next(1, 99).ToString("00", CultureInfo.InvariantCulture) + _rng.Next(1, 20).ToString("00", CultureInfo.InvariantCulture)
            + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + _rng.Next(0, 999).ToString("000", CultureInfo.InvariantCulture);
        int[] w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        int sum = 0;
        for (int k = 0; k < 17; k++) sum += (s[k] - '0') * w[k];
        return s + "10X98765432"[sum % 11];
    }

    private string Mobile() => Pick(["138", "139", "150", "186", "177", "135"]) + _rng.Next(10000000, 99999999).ToString(CultureInfo.InvariantCulture);

    private string Month() => $"{2024}年{_rng.Next(1, 13)}月";

    private List<string> NoticeBody()
    {
        var body = new List<string> { $"{Pick(["各区人民政府", "各有关单位", "局属各单位"])}：" };
        body.Add($"为贯彻落实有关工作部署，经研究，决定于{Month()}开展{Pick(["专项检查", "集中整治", "调研督导"])}工作。现将有关事项通知如下。");
        body.Add($"一、工作内容。重点围绕{Pick(["项目建设进度", "安全生产责任落实", "资金使用管理"])}开展检查，发现问题及时整改。");
        body.Add("二、工作要求。各单位要高度重视，明确专人负责，按时报送工作进展。");
        body.Add($"{Pick(Cities)}人民政府办公室");
        return body;
    }

    private List<string> Prose(int n) => Enumerable.Range(0, n).Select(_ => _prose[_rng.Next(_prose.Length)]).ToList();

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];

    private static string FullWidth(string s) => new(s.Select(c => c is >= '0' and <= '9' ? (char)(c - '0' + '０') : c == '★' ? '＊' : c).ToArray());

    // ---- writers ----------------------------------------------------------------------------------

    private static IEnumerable<string> Lines(Doc d)
    {
        if (d.Header is not null) yield return d.Header;
        if (d.TextBox is not null) yield return d.TextBox;
        foreach (var b in d.Before) yield return b;
        if (d.Cover is { } c) yield return $"{c.Label}\t{c.Value}";
        yield return d.Title;
        foreach (var p in d.Body) yield return p;
        if (d.Table is not null)
            foreach (var r in d.Table) yield return string.Join("\t", r);
        if (d.Comment is not null) yield return d.Comment;
    }

    private static void WriteText(string path, Doc d, Format f)
    {
        var text = string.Join("\n", Lines(d)) + "\n";
        Encoding enc = f switch
        {
            Format.Gbk => Encoding.GetEncoding("GBK"),
            Format.Utf16 => new UnicodeEncoding(false, true),
            _ => new UTF8Encoding(false),
        };
        // GBK cannot encode every character (zero-width space, traditional forms are fine): fall back to UTF-8 for those.
        if (f == Format.Gbk && enc.GetString(enc.GetBytes(text)) != text) enc = new UTF8Encoding(false);
        File.WriteAllBytes(path, [.. enc.GetPreamble(), .. enc.GetBytes(text)]);
    }

    private static void WriteDocx(string path, Doc d)
    {
        using var doc = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        var main = doc.AddMainDocumentPart();
        var body = new Body();
        main.Document = new Document(body);
        doc.PackageProperties.Creator = "办公室";
        doc.PackageProperties.Created = Written;
        doc.PackageProperties.Modified = Written;
        if (d.TextBox is not null) body.Append(TextBoxParagraph(d.TextBox));
        foreach (var b in d.Before) body.Append(Para(b));
        if (d.Cover is { } c) body.Append(Table([[c.Label, c.Value], ["紧急程度", "特急"]]));
        body.Append(new Paragraph(new ParagraphProperties(new Justification { Val = JustificationValues.Center }), new Run(new RunProperties(new Bold()), new Text(d.Title))));
        foreach (var p in d.Body) body.Append(Para(p));
        if (d.Table is not null) body.Append(Table(d.Table));
        if (d.Header is not null)
        {
            var header = main.AddNewPart<HeaderPart>();
            header.Header = new Header(Para(d.Header));
            body.Append(new SectionProperties(new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) }));
        }
    }

    private static Paragraph Para(string text) => new(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));

    private static Table Table(IEnumerable<string[]> rows)
    {
        var table = new Table(new TableProperties(new TableBorders(new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 })));
        foreach (var r in rows) table.Append(new TableRow(r.Select(c => new TableCell(Para(c)))));
        return table;
    }

    /// <summary>A text box as Word writes it in VML (w:pict / v:textbox / w:txbxContent).</summary>
    private static Paragraph TextBoxParagraph(string text) => new($$"""
        <w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml">
          <w:r><w:pict><v:shape id="tb1" style="position:absolute;margin-left:0;margin-top:0;width:180pt;height:30pt" type="#_x0000_t202">
            <v:textbox><w:txbxContent><w:p><w:r><w:t>{{SecurityElement.Escape(text)}}</w:t></w:r></w:p></w:txbxContent></v:textbox>
          </v:shape></w:pict></w:r>
        </w:p>
        """);

    private static string Fodt(Doc d)
    {
        static string X(string s) => SecurityElement.Escape(s) ?? "";
        var sb = new StringBuilder();
        sb.Append("""
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
            <office:styles><style:default-style style:family="paragraph"><style:text-properties style:font-name-asian="Noto Serif CJK SC" fo:font-size="12pt" style:font-size-asian="12pt"/></style:default-style></office:styles>
            <office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/><style:header-style><style:header-footer-properties fo:min-height="1cm"/></style:header-style></style:page-layout></office:automatic-styles>
            <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
            """);
        if (d.Header is not null) sb.Append("<style:header><text:p>").Append(X(d.Header)).Append("</text:p></style:header>");
        sb.Append("</style:master-page></office:master-styles><office:body><office:text>\n");
        if (d.TextBox is not null) sb.Append("<text:p>").Append(X(d.TextBox)).Append("</text:p>\n");
        foreach (var b in d.Before) sb.Append("<text:p>").Append(X(b)).Append("</text:p>\n");
        sb.Append("<text:p>").Append(X(d.Title)).Append("</text:p>\n");
        foreach (var p in d.Body) sb.Append("<text:p>").Append(X(p)).Append("</text:p>\n");
        if (d.Table is not null)
        {
            sb.Append("<table:table table:name=\"T1\"><table:table-column table:number-columns-repeated=\"").Append(d.Table[0].Length).Append("\"/>\n");
            foreach (var r in d.Table)
            {
                sb.Append("<table:table-row>");
                foreach (var c in r) sb.Append("<table:table-cell office:value-type=\"string\"><text:p>").Append(X(c)).Append("</text:p></table:table-cell>");
                sb.Append("</table:table-row>\n");
            }
            sb.Append("</table:table>\n");
        }
        sb.Append("</office:text></office:body></office:document>\n");
        return sb.ToString();
    }
}
