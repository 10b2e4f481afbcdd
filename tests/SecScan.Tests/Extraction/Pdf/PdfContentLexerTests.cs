using System.Text;
using SecScan.Extraction.Pdf;
using UglyToad.PdfPig;

namespace SecScan.Tests.Extraction.Pdf;

/// <summary>
/// <see cref="PdfContentLexer"/>: against PdfPig's content parser on the content streams of every real PDF we have,
/// on ISO 32000-1's lexical corner cases, and on hostile input, where every case must end in a typed
/// <see cref="PdfLexError"/> without a throw, a hang or an allocation beyond <see cref="PdfLexLimits"/>.
/// </summary>
public class PdfContentLexerTests
{
    /// <summary>One operation as read: its operator and a readable rendering of its operands.</summary>
    private sealed record Operation(string Operator, string Operands);

    private static (List<Operation> Operations, PdfLexError Error) Lex(byte[] data, PdfLexLimits? limits = null)
    {
        var operands = new PdfOperands();
        var lexer = new PdfContentLexer(data, operands, limits ?? PdfLexLimits.Content);
        var operations = new List<Operation>();
        while (lexer.ReadOperation())
            operations.Add(new Operation(Encoding.Latin1.GetString(lexer.Operator), Render(operands)));
        return (operations, lexer.Error);
    }

    private static (List<Operation> Operations, PdfLexError Error) Lex(string content) => Lex(Encoding.Latin1.GetBytes(content));

    /// <summary>Numbers as invariant text, names as /name, strings as hex, composites as [n] or &lt;&lt;&gt;&gt;; nesting by depth.</summary>
    private static string Render(PdfOperands operands)
    {
        var parts = new List<string>();
        for (int i = 0; i < operands.Count; i++)
        {
            var o = operands[i];
            string text = o.Kind switch
            {
                PdfOperandKind.Number => o.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                PdfOperandKind.Name => "/" + Encoding.Latin1.GetString(operands.Bytes(o)),
                PdfOperandKind.String => "<" + Convert.ToHexString(operands.Bytes(o)) + ">",
                PdfOperandKind.Array => $"[{o.Length}]",
                PdfOperandKind.Dictionary => "<<>>",
                PdfOperandKind.Boolean => o.Number == 1 ? "true" : "false",
                _ => "null",
            };
            parts.Add(o.Depth == 0 ? text : $"{new string('.', o.Depth)}{text}");
        }
        return string.Join(' ', parts);
    }

    [Theory]
    [MemberData(nameof(PdfTextLayerTests.RealPdfs), MemberType = typeof(PdfTextLayerTests))]
    public void Real_content_streams_give_PdfPigs_operators_in_order(string file)
    {
        var path = Path.Combine(Path.GetDirectoryName(TestFiles.SamplesRoot)!, file);
        using var document = PdfDocument.Open(File.ReadAllBytes(path));
        var layer = new PdfTextLayer(document.Structure.TokenScanner, document.Structure.FilterProvider);
        for (int number = 1; number <= document.NumberOfPages; number++)
        {
            var page = document.GetPage(number);
            var (operations, error) = Lex(layer.ReadContents(page.Dictionary).ToArray());

            Assert.Equal(PdfLexError.None, error);
            // PdfPig reports an inline image as BI, ID and EI; the lexer as BI and ID, with EI consumed with the data.
            var expected = page.Operations.Select(o => o.Operator).Where(o => o is not ("BI" or "ID" or "EI")).ToList();
            Assert.Equal(expected, operations.Select(o => o.Operator).Where(o => o is not ("BI" or "ID")).ToList());
        }
    }

    [Fact]
    public void Pango_page_operations_carry_their_operands()
    {
        using var document = PdfDocument.Open(File.ReadAllBytes(TestFiles.Sample(TestFiles.PdfCidPango)));
        var layer = new PdfTextLayer(document.Structure.TokenScanner, document.Structure.FilterProvider);
        var (operations, error) = Lex(layer.ReadContents(document.GetPage(1).Dictionary).ToArray());

        Assert.Equal(PdfLexError.None, error);
        Assert.Equal("cm", operations[0].Operator);
        Assert.StartsWith("1 0 0 -1 0 ", operations[0].Operands, StringComparison.Ordinal);
        Assert.Contains(operations, o => o.Operator == "Tf" && o.Operands.StartsWith("/f-0-0 ", StringComparison.Ordinal));
        var tj = operations.First(o => o.Operator == "TJ");
        Assert.StartsWith("[", tj.Operands, StringComparison.Ordinal);
        Assert.Contains(".<0001", tj.Operands, StringComparison.Ordinal);
    }

    [Fact]
    public void Literal_strings_read_every_escape_nesting_and_line_ending()
    {
        var (operations, error) = Lex("(a\\nb\\r\\t\\b\\f\\(\\)\\\\\\101\\7\\0123\\q) Tj (x(y)z) Tj (l1\r\nl2\rl3\\\r\nl4\\\nl5) Tj");

        Assert.Equal(PdfLexError.None, error);
        Assert.Equal(
        [
            new("Tj", "<" + Convert.ToHexString("a\nb\r\t\b\f()\\A\u0007\n3q"u8) + ">"),
            new("Tj", "<" + Convert.ToHexString("x(y)z"u8) + ">"),
            new("Tj", "<" + Convert.ToHexString("l1\nl2\nl3l4l5"u8) + ">"),
        ], operations);
    }

    [Fact]
    public void Octal_escape_past_a_byte_keeps_the_low_eight_bits()
    {
        Assert.Equal("<01>", Lex("(\\401) Tj").Operations.Single().Operands);
    }

    [Fact]
    public void Hex_strings_skip_white_space_and_pad_an_odd_last_digit()
    {
        var (operations, error) = Lex("<41 4\n2\t4> Tj <4> Tj <> Tj <aBc> Tj");

        Assert.Equal(PdfLexError.None, error);
        Assert.Equal(["<414240>", "<40>", "<>", "<ABC0>"], operations.Select(o => o.Operands));
    }

    [Fact]
    public void Names_decode_number_sign_escapes_and_keep_a_lone_number_sign()
    {
        var (operations, _) = Lex("/A#20B /C#2 /#41#42 /Span#2fX BDC");

        Assert.Equal("/A B /C#2 /AB /Span/X", operations.Single().Operands);
    }

    [Fact]
    public void Numbers_read_as_readers_do()
    {
        var (operations, _) = Lex("-.5 +3 12. --4 1.2.3 0.000001 123456789012345678901 . 7-2 Td");

        Assert.Equal("-0.5 3 12 -4 1.2 1E-06 1.2345678901234568E+20 0 7", operations.Single().Operands);
    }

    [Fact]
    public void Comments_end_at_the_end_of_their_line()
    {
        var (operations, error) = Lex("% a comment with ( and [ inside\r1 0 0 1 5 6 cm%another\nBT%last");

        Assert.Equal(PdfLexError.None, error);
        Assert.Equal(["cm", "BT"], operations.Select(o => o.Operator));
        Assert.Equal("1 0 0 1 5 6", operations[0].Operands);
    }

    [Fact]
    public void Arrays_are_flat_with_their_length_and_dictionaries_leave_only_a_marker()
    {
        var (operations, error) = Lex("[(A) -250 <0042> [1 2]] TJ /Span << /ActualText <FEFF0041> /MCID 3 /K [1 2] >> BDC true false null d0");

        Assert.Equal(PdfLexError.None, error);
        Assert.Equal(new Operation("TJ", "[6] .<41> .-250 .<0042> .[2] ..1 ..2"), operations[0]);
        Assert.Equal(new Operation("BDC", "/Span <<>>"), operations[1]);
        Assert.Equal(new Operation("d0", "true false null"), operations[2]);
    }

    [Fact]
    public void Inline_image_data_is_skipped_to_an_EI_between_white_space()
    {
        // The data holds "EI" glued to other bytes, and an EI preceded by white space but followed by a letter.
        var data = new byte[] { 0x00, (byte)'E', (byte)'I', 0xFF, (byte)'\n', (byte)'E', (byte)'I', (byte)'x', (byte)'(', (byte)'[', 0x0A };
        var content = Encoding.Latin1.GetBytes("q BI /W 4 /H 1 /BPC 8 /CS /G /F [/AHx] ID ")
            .Concat(data).Concat(Encoding.Latin1.GetBytes(" EI Q"))
            .ToArray();

        var (operations, error) = Lex(content);

        Assert.Equal(PdfLexError.None, error);
        Assert.Equal(["q", "BI", "ID", "Q"], operations.Select(o => o.Operator));
        Assert.Equal("/W 4 /H 1 /BPC 8 /CS /G /F [1] ./AHx", operations[2].Operands);
    }

    [Fact]
    public void Inline_image_with_EI_at_the_very_end_and_with_empty_data()
    {
        Assert.Equal(["BI", "ID"], Lex("BI /W 1 ID \u0001\u0002 EI").Operations.Select(o => o.Operator));
        Assert.Equal(["BI", "ID", "Q"], Lex("BI ID EI Q").Operations.Select(o => o.Operator));
    }

    [Theory]
    [InlineData("BT (unterminated Tj", nameof(PdfLexError.UnterminatedString))]
    [InlineData("(ends in a backslash\\", nameof(PdfLexError.UnterminatedString))]
    [InlineData("[(a) 1 2", nameof(PdfLexError.UnterminatedArray))]
    [InlineData("[(a) 1 TJ", nameof(PdfLexError.UnterminatedArray))]
    [InlineData("/Span << /MCID 3", nameof(PdfLexError.UnterminatedDictionary))]
    [InlineData("<< /A [1 >> BDC", nameof(PdfLexError.UnbalancedDelimiter))]
    [InlineData("<4142", nameof(PdfLexError.BadHexString))]
    [InlineData("<41G2> Tj", nameof(PdfLexError.BadHexString))]
    [InlineData("1 2 ] Td", nameof(PdfLexError.UnbalancedDelimiter))]
    [InlineData("(a)) Tj", nameof(PdfLexError.UnbalancedDelimiter))]
    [InlineData("1 > 2", nameof(PdfLexError.UnbalancedDelimiter))]
    [InlineData("BI /W 1 ID \u0001EI", nameof(PdfLexError.UnterminatedInlineImage))]
    [InlineData("BI /W 1 ID", nameof(PdfLexError.UnterminatedInlineImage))]
    public void Broken_structure_ends_in_a_typed_error(string content, string expected)
    {
        Assert.Equal(expected, Lex(content).Error.ToString());
    }

    [Fact]
    public void Operations_before_an_error_are_read()
    {
        var (operations, error) = Lex("q 1 0 0 1 0 0 cm BT (a) Tj [(b");

        Assert.Equal(["q", "cm", "BT", "Tj"], operations.Select(o => o.Operator));
        Assert.Equal(PdfLexError.UnterminatedString, error);
    }

    [Fact]
    public void Nesting_bomb_stops_at_the_depth_limit()
    {
        var (operations, error) = Lex(Encoding.Latin1.GetBytes(new string('[', 100_000)));

        Assert.Empty(operations);
        Assert.Equal(PdfLexError.NestingTooDeep, error);
    }

    [Fact]
    public void Dictionary_nesting_bomb_stops_at_the_depth_limit()
    {
        Assert.Equal(PdfLexError.NestingTooDeep, Lex(Encoding.Latin1.GetBytes(string.Concat(Enumerable.Repeat("<< /A ", 100_000)))).Error);
    }

    [Fact]
    public void Fifty_megabytes_of_digits_is_one_token_too_long()
    {
        var digits = new byte[50 << 20];
        Array.Fill(digits, (byte)'7');

        Assert.Equal(PdfLexError.TokenTooLong, Lex(digits).Error);
    }

    [Fact]
    public void A_long_run_of_regular_bytes_is_an_operator_too_long()
    {
        var letters = new byte[1 << 20];
        Array.Fill(letters, (byte)'x');

        Assert.Equal(PdfLexError.TokenTooLong, Lex(letters).Error);
    }

    [Fact]
    public void Operands_without_an_operator_stop_at_the_operand_limit()
    {
        var limits = PdfLexLimits.Content with { MaxOperands = 1_000 };
        var (operations, error) = Lex(Encoding.Latin1.GetBytes(string.Concat(Enumerable.Repeat("1 ", 1_001))), limits);

        Assert.Empty(operations);
        Assert.Equal(PdfLexError.TooManyOperands, error);
    }

    [Fact]
    public void Strings_stop_at_the_string_limit()
    {
        var limits = PdfLexLimits.Content with { MaxStringBytes = 1_000 };

        Assert.Equal(PdfLexError.StringTooLong, Lex(Encoding.Latin1.GetBytes("(" + new string('a', 1_001) + ") Tj"), limits).Error);
        Assert.Equal(PdfLexError.StringTooLong, Lex(Encoding.Latin1.GetBytes("<" + new string('a', 2_002) + "> Tj"), limits).Error);
        Assert.Equal(PdfLexError.None, Lex(Encoding.Latin1.GetBytes("(" + new string('a', 1_000) + ") Tj"), limits).Error);
    }

    [Fact]
    public void All_strings_of_one_operation_stop_at_the_operand_byte_limit()
    {
        var limits = PdfLexLimits.Content with { MaxOperandBytes = 10_000 };
        var content = "[" + string.Concat(Enumerable.Repeat("(" + new string('a', 1_000) + ") ", 11)) + "] TJ";

        Assert.Equal(PdfLexError.StringTooLong, Lex(Encoding.Latin1.GetBytes(content), limits).Error);
    }

    [Fact]
    public void Dictionary_bytes_are_released_when_it_closes()
    {
        var limits = PdfLexLimits.Content with { MaxOperandBytes = 10_000 };
        // Each dictionary holds 1,000 bytes of strings, 11,000 in all, but only one is open at a time.
        var content = string.Concat(Enumerable.Repeat("<< /A (" + new string('a', 990) + ") >> ", 11)) + "BDC";

        Assert.Equal(PdfLexError.None, Lex(Encoding.Latin1.GetBytes(content), limits).Error);
    }

    [Fact]
    public void Random_bytes_never_throw_and_always_end()
    {
        var random = new Random(20261126);
        var data = new byte[4096];
        var structure = "()<>[]/%\\ \nTjBIDE0.-"u8.ToArray();
        for (int round = 0; round < 2_000; round++)
        {
            random.NextBytes(data);
            // Bias towards structure: a third of the bytes become PDF delimiters and operator letters.
            for (int i = 0; i < data.Length; i += 3) data[i] = structure[random.Next(structure.Length)];
            var operands = new PdfOperands();
            var lexer = new PdfContentLexer(data, operands, PdfLexLimits.Content);
            int operations = 0, last = -1;
            while (lexer.ReadOperation())
            {
                Assert.True(lexer.Position > last, "the lexer must move forward on every operation");
                last = lexer.Position;
                operations++;
            }
            Assert.True(operations <= data.Length);
        }
    }
}
