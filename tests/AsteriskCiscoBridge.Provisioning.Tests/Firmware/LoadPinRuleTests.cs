using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Testing.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class LoadPinRuleTests
{
    private static readonly MacAddress Mac = MacAddress.TryParse("0011223344AA", out var mac) ? mac.Value : default;

    private static readonly FirmwareCatalog Catalog = CatalogFiles.Catalog(
        SyntheticFirmware.Java("SIP41.9-4-2SR3-1S"),
        SyntheticFirmware.Java("SIP41.8-5-2S", seed: 3, withTermDefaults: false).Without("dsp41.8-5-2S.sbn"),
        SyntheticFirmware.Java("SIP45.9-4-2SR3-1S", seed: 4, withTermDefaults: false));

    [Fact]
    public void A_complete_load_of_the_phones_family_is_pinned_in_the_catalogs_spelling()
    {
        var decision = LoadPinRule.Decide(Mac, "sip41.9-4-2sr3-1s", new PinnedPhone("7961", null), Catalog);

        Assert.Equal((PinVerdict.Done, "pinned 0011223344AA to SIP41.9-4-2SR3-1S", "SIP41.9-4-2SR3-1S", true), (decision.Outcome.Verdict, decision.Outcome.Message, decision.Load, decision.Store));
    }

    [Fact]
    public void Unpinning_a_pinned_phone_stores_no_load()
    {
        var decision = LoadPinRule.Decide(Mac, null, new PinnedPhone("7961", "SIP41.9-4-2SR3-1S"), Catalog);

        Assert.Equal((PinVerdict.Done, "unpinned 0011223344AA (was SIP41.9-4-2SR3-1S)", null, true), (decision.Outcome.Verdict, decision.Outcome.Message, decision.Load, decision.Store));
    }

    [Fact]
    public void Not_a_load_name_is_bad_input()
    {
        var decision = LoadPinRule.Decide(Mac, "latest", new PinnedPhone("7961", null), Catalog);

        Assert.Equal(PinVerdict.BadInput, decision.Outcome.Verdict);
        Assert.False(decision.Store);
        Assert.Contains("'latest' is not a 7940/7960 load", decision.Outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SIP41.9-4-2SR3-1S", null, "0011223344AA is not bound (acb bind 0011223344AA ENDPOINT…)")]
    [InlineData(null, null, "0011223344AA is not bound")]
    [InlineData(null, "7961", "0011223344AA is not pinned")]
    [InlineData("SIP41.9-4-2SR3-1S", "", "0011223344AA's model is not known yet (nothing names it): set_var=CISCO_MODEL=… on its endpoint, acb bind 0011223344AA ENDPOINT --model M, or let it register (its User-Agent names it)")]
    [InlineData("SIP41.9-4-2SR3-1S", "79x1", "0011223344AA's model is not known yet (only its family, 79x1): set_var=CISCO_MODEL=… on its endpoint, acb bind 0011223344AA ENDPOINT --model M, or let it register (its User-Agent names it)")]
    [InlineData("SIP45.9-4-2SR3-1S", "7961", "SIP45.9-4-2SR3-1S is a load for 7945/7965, not for 0011223344AA, a 7961")]
    [InlineData("P0S3-08-12-00", "7961", "P0S3-08-12-00 is a load for 7940/7960, not for 0011223344AA, a 7961")]
    [InlineData("SIP41.9-3-1SR4-1S", "7961", "SIP41.9-3-1SR4-1S is not in the firmware catalog (acb firmware import PACKAGE; acb firmware list)")]
    public void Refusals_say_why_and_store_nothing(string? load, string? model, string message)
    {
        var decision = LoadPinRule.Decide(Mac, load, model is null ? null : new PinnedPhone(model, null), Catalog);

        Assert.Equal((PinVerdict.Refused, message, false), (decision.Outcome.Verdict, decision.Outcome.Message, decision.Store));
    }

    [Fact]
    public void An_incomplete_load_is_never_pinned()
    {
        var decision = LoadPinRule.Decide(Mac, "SIP41.8-5-2S", new PinnedPhone("CP-7961G", null), Catalog);

        Assert.Equal(PinVerdict.Refused, decision.Outcome.Verdict);
        Assert.StartsWith("SIP41.8-5-2S is incomplete (", decision.Outcome.Message, StringComparison.Ordinal);
        Assert.EndsWith("); an incomplete load is never offered", decision.Outcome.Message, StringComparison.Ordinal);
        Assert.Contains("dsp41.8-5-2S.sbn", decision.Outcome.Message, StringComparison.Ordinal);
    }
}
