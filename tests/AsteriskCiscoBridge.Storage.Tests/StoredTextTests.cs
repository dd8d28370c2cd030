using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class StoredTextTests
{
    [Fact]
    public void Parameters_are_written_as_the_text_every_version_stored()
    {
        var at = new DateTimeOffset(2026, 11, 22, 10, 0, 0, 5, TimeSpan.FromHours(2)).AddTicks(3);

        Assert.Equal("2026-11-22T08:00:00.0050003Z", StoredText.Parameter(at));
        Assert.Equal("2026-11-22T08:00:00.0050003Z", StoredText.Parameter((DateTimeOffset?)at));
        Assert.Equal(at, StoredText.ParseTimestamp("2026-11-22T08:00:00.0050003Z"));
        Assert.Equal("001122334455", StoredText.Parameter(MacAddress.Parse("00:11:22:33:44:55").Mac));
        Assert.Equal("denied: pinned", StoredText.Parameter(new RequestOutcome(RequestOutcomeKind.Denied, "pinned")));
        Assert.Equal(DBNull.Value, StoredText.Parameter(null));
        Assert.Equal(DBNull.Value, StoredText.Parameter((MacAddress?)null));
        Assert.Equal(7L, StoredText.Parameter(7L));
    }

    [Fact]
    public void An_enum_parameter_is_refused_a_column_holds_its_word()
    {
        var error = Assert.Throws<ArgumentException>(() => StoredText.Parameter(ResyncState.Sending));
        Assert.Contains("ResyncState", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_mac_that_is_not_12_hex_digits_is_a_data_error()
    {
        Assert.Throws<System.Data.DataException>(() => StoredText.ParseMac("0011"));
    }
}
