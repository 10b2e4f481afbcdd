using SecScan.Core.Documents;
using SecScan.Core.Findings;
using Xunit;

namespace SecScan.Tests.Pii;

/// <summary>D12–D18 and K12 through the whole engine: DOMAIN.md §5 examples and T16–T19, T24.</summary>
public class PiiDetectorTests
{
    private static readonly string[] Ids = ["320106198506121235", "510107199211034560", "370202197808152349", "330106198802291011", "110101199003077571", "11010519491231002X"];

    private static Verdict Scan(string text) => TestEngine.ScanText(text);

    private static void AssertRule(string text, string rule, Decision expected)
    {
        var v = Scan(text);
        Assert.True(TestEngine.RuleDecision(v, rule) == expected, $"{rule}: expected {expected}\n{TestEngine.Explain(v)}");
    }

    [Fact]
    public void T16_one_valid_id_with_a_name_is_review()
    {
        var v = Scan("申请人：张三，身份证号码：11010519491231002X，现住XX市XX区。");
        Assert.Equal(Decision.Review, v.Decision);
        var f = Assert.Single(v.Findings, f => f.Rule == "id-number");
        Assert.Equal("1101**********002X", f.Evidence);
        Assert.Equal(FindingCategory.Pii, f.Category);
    }

    [Fact]
    public void T17_ten_row_table_of_names_ids_and_mobiles_blocks()
    {
        var rows = Enumerable.Range(0, 10).Select(i => $"员工{i}\t{Ids[i % Ids.Length]}\t13{i}1234567{i % 10}");
        var v = Scan("姓名\t身份证号\t手机\n" + string.Join("\n", rows));
        Assert.Equal(Decision.Block, v.Decision);
        Assert.Contains(v.Findings, f => f.Rule == "id-number" && f.Confidence >= 0.85);
    }

    [Fact]
    public void T17_in_a_real_table_blocks()
    {
        var segments = new List<TextSegment>();
        string[] header = ["姓名", "身份证号", "手机"];
        for (int c = 0; c < 3; c++) segments.Add(Cell(header[c], 1, c + 1));
        for (int r = 0; r < 10; r++)
        {
            segments.Add(Cell($"员工{r}", r + 2, 1));
            segments.Add(Cell(Ids[r % Ids.Length], r + 2, 2));
            segments.Add(Cell($"1391234{r:0000}", r + 2, 3));
        }
        var v = TestEngine.Shared.Evaluate(new ExtractedDocument("text/plain", segments), "t17", "publish", 0, "");
        Assert.Equal(Decision.Block, v.Decision);
        Assert.Contains(v.Findings, f => f.Rule == "id-number" && f.Location.Table == 1);
    }

    private static TextSegment Cell(string text, int row, int column) =>
        new(text, new Location { Container = "t17.docx", Table = 1, Row = row, Column = column, Cell = $"table 1 R{row}C{column}" });

    [Theory]
    [InlineData("110105********002X")]                 // T18
    [InlineData("身份证号：110105********002X")]
    [InlineData("4405**********0014")]
    [InlineData("手机：138****5678")]
    [InlineData("卡号：6228 **** **** 8903")]
    public void T18_masked_values_are_no_finding(string text)
    {
        var v = Scan(text);
        Assert.DoesNotContain(v.Findings, f => f.Category == FindingCategory.Pii);
        Assert.Equal(Decision.Allow, v.Decision);
    }

    [Fact]
    public void T19_tender_notice_with_a_unit_account_and_credit_code_is_allowed()
    {
        var v = Scan("""
            XX市公共资源交易中心关于XX道路改造工程施工招标的公告
            招标人：XX市交通运输局（统一社会信用代码：91350200776049653A）
            投标保证金：人民币贰拾万元整，须从投标人基本账户转出。
            户名：XX市公共资源交易中心
            开户行：中国建设银行XX分行营业部
            账号：3501 0160 0010 5250 8888
            联系电话：0592-5551234
            """);
        Assert.Equal(Decision.Allow, v.Decision);
        Assert.Contains(v.Findings, f => f.Rule == "credit-code" && f.Confidence < 0.5);
        Assert.Contains(v.Findings, f => f.Rule == "bank-card" && f.Score.Any(s => s.Reason.Contains("tender", StringComparison.Ordinal)));
    }

    [Fact]
    public void Checksum_invalid_id_needs_a_label()
    {
        AssertRule("110101199003077578", "id-number", Decision.Allow);
        AssertRule("身份证号：110101199003077578", "id-number", Decision.Review);
    }

    [Fact]
    public void Order_number_is_no_id() => AssertRule("订单号：202312310000123456", "id-number", Decision.Allow);

    [Fact]
    public void Spaced_and_hyphenated_ids_are_read()
    {
        AssertRule("身份证 110105 19491231 002X", "id-number", Decision.Review);
        AssertRule("身份证 110105-19491231-002X", "id-number", Decision.Review);
    }

    [Fact]
    public void Three_valid_ids_block() => AssertRule(string.Join("\n", Ids.Take(3)), "id-number", Decision.Block);

    [Fact]
    public void Legacy_id_only_with_a_label()
    {
        AssertRule("身份证：110105491231002", "id-number", Decision.Review);
        AssertRule("编码 110105491231002", "id-number", Decision.Allow);
    }

    [Fact]
    public void Credit_codes_are_information_unless_in_a_customer_list()
    {
        var v = Scan("统一社会信用代码：91440101MA5CJQ4N59");
        Assert.Equal(Decision.Allow, v.Decision);
        var f = Assert.Single(v.Findings, f => f.Rule == "credit-code");
        Assert.Equal("9144**********4N59", f.Evidence);
    }

    [Fact]
    public void Bank_cards_need_luhn_or_a_label()
    {
        AssertRule("银行卡号：6228480012345678903", "bank-card", Decision.Review);
        AssertRule("6228480012345678903", "bank-card", Decision.Review);
        AssertRule("6228480012345678904", "bank-card", Decision.Allow);
        AssertRule("卡号：6228480012345678904", "bank-card", Decision.Review);
        AssertRule("快递单号：6228480012345678903", "bank-card", Decision.Allow);
        AssertRule("卡号 6228480012345678903\n卡号 6217001234567890122\n卡号 6222021234567890128", "bank-card", Decision.Block);
    }

    [Fact]
    public void Bank_card_evidence_is_masked()
    {
        var f = Assert.Single(Scan("银行卡号：6228 4800 1234 5678 903").Findings, f => f.Rule == "bank-card");
        Assert.Equal("6228***********8903", f.Evidence);
    }

    [Fact]
    public void Phones_switchboards_and_service_numbers()
    {
        AssertRule("联系人：张老师 13812345678", "phone-number", Decision.Review);
        AssertRule("服务热线：400-810-8888", "phone-number", Decision.Allow);
        AssertRule("客服电话 95588", "phone-number", Decision.Allow);
        AssertRule("总机：010-12345678", "phone-number", Decision.Allow);
        AssertRule("13812345678\n13912345678\n13712345678\n15012345678\n18612345678", "phone-number", Decision.Block);
        AssertRule("13812345678\n13912345678\n13712345678\n15012345678", "phone-number", Decision.Review);
    }

    [Fact]
    public void Mobile_evidence_is_masked()
    {
        var f = Assert.Single(Scan("手机：+86 138-1234-5678").Findings, f => f.Rule == "phone-number");
        Assert.Equal("138****5678", f.Evidence);
    }

    [Fact]
    public void Passports_need_a_label_and_a_valid_mrz_blocks()
    {
        AssertRule("护照号码：E12345678", "passport", Decision.Review);
        AssertRule("产品型号 E12345678", "passport", Decision.Allow);
        AssertRule("P<CHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nE123456782CHN8506128M3001019<<<<<<<<<<<<<<<8", "passport", Decision.Block);
        AssertRule("P<CHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nE123456783CHN8506128M3001019<<<<<<<<<<<<<<<8", "passport", Decision.Review);
    }

    [Fact]
    public void Email_role_addresses_personal_bulk_and_internal_hosts()
    {
        AssertRule("联系邮箱：xxgk@beijing.gov.cn", "email-address", Decision.Allow);
        AssertRule("来稿请寄 office@xxnews.com", "email-address", Decision.Allow);
        AssertRule("zhangsan@163.com", "email-address", Decision.Allow);
        AssertRule("a.li@qq.com\nb.wang@163.com\nc.zhao@126.com\nd.qian@sina.com\ne.sun@qq.com", "email-address", Decision.Review);
        var v = Scan("请发送至 wang.fang@oa.corp.local");
        Assert.Equal(Decision.Review, TestEngine.RuleDecision(v, "email-address"));
        Assert.Contains("internal host", v.Findings.Single(f => f.Rule == "email-address").Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Customer_list_review_block_with_pii_block_with_mark()
    {
        const string header = "客户名称\t联系人\t电话\t地址\t合同金额";
        var landlines = string.Join("\n", Enumerable.Range(1, 6).Select(i => $"甲{i}公司\t张经理\t0592-555123{i}\t厦门市{i}号\t{i}0000"));
        AssertRule(header + "\n" + landlines, "customer-list", Decision.Review);
        var mobiles = string.Join("\n", Enumerable.Range(1, 6).Select(i => $"甲{i}公司\t张经理\t1381234567{i}\t厦门市{i}号\t{i}0000"));
        var v = Scan(header + "\n" + mobiles);
        Assert.Equal(Decision.Block, TestEngine.RuleDecision(v, "customer-list"));
        Assert.Equal(0.88, v.Findings.Single(f => f.Rule == "customer-list").Confidence);
        AssertRule("内部资料\n" + header + "\n" + landlines, "customer-list", Decision.Block);
    }

    [Fact]
    public void Financial_statements_are_information_until_marked_unreleased()
    {
        const string table = "\n货币资金 1,234,567.89 1,100,000.00\n应收账款 567,890.12 500,000.00\n存货 345,678.90 300,000.00";
        AssertRule("资产负债表" + table, "financial-statement", Decision.Allow);
        Assert.Contains(Scan("资产负债表" + table).Findings, f => f.Rule == "financial-statement");
        AssertRule("资产负债表（未经审计）" + table, "financial-statement", Decision.Review);
        AssertRule("2024年一季度利润表（讨论稿）" + table, "financial-statement", Decision.Review);
    }

    [Fact]
    public void T24_pem_private_key_blocks()
    {
        var v = Scan("""
            部署说明：将以下私钥保存为 id_rsa
            -----BEGIN RSA PRIVATE KEY-----
            MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun
            VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK
            -----END RSA PRIVATE KEY-----
            """);
        Assert.Equal(Decision.Block, v.Decision);
        var f = Assert.Single(v.Findings, f => f.Rule == "private-key");
        Assert.Equal(FindingCategory.Keyword, f.Category);
        Assert.DoesNotContain("MIIE", f.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIE", f.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Password_and_access_key_are_context_only()
    {
        var v = Scan("password=Abc123456\nAccessKey: LTAI5tAbCdEfGhIjKlMn");
        Assert.DoesNotContain(v.Findings, f => f.Rule == "private-key");
    }

    [Fact]
    public void Template_genre_lowers_a_single_sample_value()
    {
        var v = Scan("登记表填写示例\n姓名：×××\n身份证号：11010519491231002X\n格式要求：用黑色签字笔填写");
        var f = v.Findings.Single(f => f.Rule == "id-number");
        Assert.Contains(f.Score, s => s.Reason.StartsWith("template genre", StringComparison.Ordinal));
        Assert.Equal(Decision.Allow, v.Decision);
    }

    [Fact]
    public void No_personal_value_appears_in_evidence_explanations_or_reasons()
    {
        string[] values = ["11010519491231002X", "13812345678", "6228480012345678903", "E12345678", "zhangsan@corp.local"];
        var v = Scan($"张三 身份证：{values[0]} 手机：{values[1]}\n卡号：{values[2]}\n护照：{values[3]}\n邮箱：{values[4]}");
        Assert.NotEmpty(v.Findings);
        foreach (var value in values)
        {
            foreach (var f in v.Findings)
            {
                Assert.DoesNotContain(value, f.Evidence, StringComparison.Ordinal);
                Assert.DoesNotContain(value, f.Explanation, StringComparison.Ordinal);
                Assert.All(f.Score, s => Assert.DoesNotContain(value, s.Reason, StringComparison.Ordinal));
            }
            Assert.All(v.Reasons, r => Assert.DoesNotContain(value, r, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_megabyte_of_digits_stays_bounded()
    {
        // One line, no breaks: label look-ups must not walk back to the line start for every value.
        var text = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"139{i:00000000} 11010519491231002X 6228480012345678903 "));
        var v = Scan(text);
        Assert.Equal(Decision.Block, v.Decision);   // thousands of distinct mobiles: a contact list
        Assert.Empty(v.Coverage.Notes);
        Assert.True(v.Findings.Count < 20_000);
    }

    [Fact]
    public void Docx_customer_list_blocks_at_its_table_header()
    {
        var v = TestEngine.ScanFile(TestFiles.Sample(TestFiles.DocxCustomerList));
        Assert.Equal(Decision.Block, v.Decision);
        var f = v.Findings.Single(f => f.Rule == "customer-list");
        Assert.Equal(0.88, f.Confidence);
        Assert.Equal(1, f.Location.Table);
        Assert.Equal(1, f.Location.Row);
        Assert.All(v.Findings.Where(f => f.Rule == "id-number"), f => Assert.Matches(@"^\d{4}\*{10}[\dX]{4}$", f.Evidence));
    }

    [Fact]
    public void Sample_files_t16_t19_t24()
    {
        Assert.Equal(Decision.Review, TestEngine.ScanFile(TestFiles.Sample(TestFiles.TxtGbkPersonalData)).Decision);
        Assert.Equal(Decision.Allow, TestEngine.ScanFile(TestFiles.Sample(TestFiles.TxtTenderNotice)).Decision);
        var key = TestEngine.ScanFile(TestFiles.Sample(TestFiles.TxtPrivateKey));
        Assert.Equal(Decision.Block, key.Decision);
        Assert.Equal(3, key.Findings.Single(f => f.Rule == "private-key").Line);
    }
}
