using SecScan.Core.Pii;
using Xunit;

namespace SecScan.Tests.Pii;

/// <summary>The checksum validators against the checked examples of DOMAIN.md §5.</summary>
public class PiiValidatorTests
{
    private static readonly DateOnly Today = new(2025, 6, 1);

    [Theory]
    [InlineData("11010519491231002X", true)]    // the standard's own example
    [InlineData("11010519491231002x", true)]
    [InlineData("440524188001010014", true)]
    [InlineData("110101199003077578", false)]   // expected check 1
    [InlineData("110101199003077571", true)]
    [InlineData("1101011990030775", false)]
    public void Resident_id_checksum(string id, bool valid) => Assert.Equal(valid, PiiValidators.ResidentIdChecksum(id));

    [Fact]
    public void Resident_id_check_character_of_the_standard_example_is_X() =>
        Assert.Equal('X', PiiValidators.ResidentIdCheckChar("11010519491231002"));

    [Theory]
    [InlineData("11010519491231002X", true)]
    [InlineData("440524188001010014", false)]   // checksum holds, but born 1880: older than 130
    [InlineData("202312310000123456", false)]   // an order number: province 20 does not exist
    [InlineData("990105194912310027", false)]   // province 99
    [InlineData("110105203001010011", false)]   // born in the future
    [InlineData("110105199902300012", false)]   // 30 February
    public void Resident_id_full_check(string id, bool valid) => Assert.Equal(valid, PiiValidators.IsValidResidentId(id, Today));

    [Theory]
    [InlineData("110105491231002", true)]
    [InlineData("110105491331002", false)]
    [InlineData("000105491231002", false)]
    public void Legacy_resident_id(string id, bool plausible) => Assert.Equal(plausible, PiiValidators.IsPlausibleLegacyResidentId(id, Today));

    [Theory]
    [InlineData("91350200776049653A", true)]
    [InlineData("913502000728319549", true)]
    [InlineData("91440101MA5CJQ4N59", true)]
    [InlineData("91350203M0001QAY9B", false)]   // expected 9; whitelisted by one public validator
    [InlineData("91350200776049653B", false)]
    [InlineData("9135020077604965IA", false)]   // I is not in the charset
    public void Unified_social_credit_code(string code, bool valid) => Assert.Equal(valid, PiiValidators.IsValidUscc(code));

    [Fact]
    public void Organization_code_check_is_position_17() =>
        Assert.Equal('3', PiiValidators.OrgCodeCheckChar("77604965"));

    [Theory]
    [InlineData("6228480012345678903", true)]
    [InlineData("6217001234567890122", true)]
    [InlineData("4111111111111111", true)]
    [InlineData("6228480012345678904", false)]
    [InlineData("4111111111111112", false)]
    public void Luhn(string number, bool valid) => Assert.Equal(valid, PiiValidators.Luhn(number));

    [Theory]
    [InlineData("E12345678", 2)]
    [InlineData("850612", 8)]
    [InlineData("300101", 9)]
    [InlineData("L898902C3", 6)]                // ICAO 9303 part 4 specimen
    [InlineData("740812", 2)]
    public void Mrz_check_digit(string field, int digit) => Assert.Equal(digit, PiiValidators.MrzCheckDigit(field));

    [Theory]
    [InlineData("E123456782CHN8506128M3001019<<<<<<<<<<<<<<<8", true)]
    [InlineData("E123456783CHN8506128M3001019<<<<<<<<<<<<<<<8", false)]
    [InlineData("L898902C36UTO7408122F1204159ZE184226B<<<<<10", true)]   // ICAO 9303 specimen
    public void Passport_mrz_line_2(string line, bool valid) => Assert.Equal(valid, PiiValidators.IsValidPassportMrzLine2(line));

    [Theory]
    [InlineData("11010519491231002X", 4, 4, "1101**********002X")]
    [InlineData("13812345678", 3, 4, "138****5678")]
    [InlineData("E1234", 2, 2, "****4")]
    public void Masking_keeps_only_the_ends(string value, int head, int tail, string masked) =>
        Assert.Equal(masked, PiiMask.Keep(value, head, tail));

    [Fact]
    public void Email_masking_keeps_the_domain() => Assert.Equal("z***@example.com", PiiMask.Email("zhangsan@example.com"));
}
