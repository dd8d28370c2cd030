using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Tests.Model;

public sealed class FeatureKeysTests
{
    [Theory]
    [InlineData("speeddial:6001:Reception", FeatureKeyKind.SpeedDial, "6001", "Reception")]
    [InlineData("SpeedDial:6001", FeatureKeyKind.SpeedDial, "6001", null)]
    [InlineData("blf:6002:Bob: desk 2", FeatureKeyKind.Blf, "6002", "Bob: desk 2")]
    [InlineData("blf:6002:", FeatureKeyKind.Blf, "6002", null)]
    [InlineData(" speeddial : 9,,0123456789 : Outside ", FeatureKeyKind.SpeedDial, "9,,0123456789", "Outside")]
    [InlineData("sd:*97:Voicemail", FeatureKeyKind.SpeedDial, "*97", "Voicemail")]
    public void Parse_reads_kind_number_and_label(string value, FeatureKeyKind kind, string number, string? label)
    {
        var key = FeatureKeys.Parse(3, value, "test", out var error);

        Assert.Null(error);
        Assert.Equal((3, kind, number, label, "test"), (key!.Index, key.Kind, key.Number, key.Label, key.Origin));
    }

    [Theory]
    [InlineData("", "is not speeddial:NUMBER[:LABEL] or blf:NUMBER[:LABEL]")]
    [InlineData("speeddial", "is not speeddial:NUMBER[:LABEL]")]
    [InlineData("park:700", "is not speeddial:NUMBER[:LABEL]")]
    [InlineData("speeddial::Label", "the number '' must be")]
    [InlineData("blf:60<01", "the number '60<01' must be")]
    [InlineData("speeddial:6001:a\tb", "the label holds a control character")]
    public void Parse_says_in_one_line_what_is_wrong(string value, string reason)
    {
        Assert.Null(FeatureKeys.Parse(1, value, "test", out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.StartsWith("key.1: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error!);
    }

    [Fact]
    public void The_written_form_reads_back_the_same()
    {
        foreach (var value in (string[])["speeddial:6001:Reception", "blf:6002", "speeddial:*97:Voice: mail"])
        {
            var key = FeatureKeys.Parse(4, value, "x", out _)!;
            Assert.Equal(value, key.Value);
            Assert.Equal(key, FeatureKeys.Parse(4, key.Value, "x", out _));
        }
    }

    [Theory]
    [InlineData("8841", 1, 4, null)]
    [InlineData("8841", 2, 4, "an 8841 has 5 buttons: 2 lines leave 3 for keys, 4 given (key.1, key.2, key.3, key.4)")]
    [InlineData("7821", 1, 1, null)]
    [InlineData("7821", 2, 1, "a 7821 has 2 buttons: 2 lines leave 0 for keys, 1 given (key.1)")]
    [InlineData("7811", 1, 1, "a 7811 has 1 button: 1 line leaves 0 for keys, 1 given (key.1)")]
    [InlineData("7961", 1, 5, null)]
    [InlineData("7960", 1, 1, "a 7960 takes no speed-dial keys: its SIP<MAC>.cnf has no documented key for them")]
    [InlineData("7960", 1, 0, null)]
    public void More_keys_than_the_buttons_after_the_lines_are_refused_in_one_line(string model, int lines, int count, string? refusal)
    {
        var keys = Enumerable.Range(1, count).Select(i => new FeatureKey(i, FeatureKeyKind.SpeedDial, "600" + i, null)).ToArray();

        Assert.Equal(refusal, FeatureKeys.Refusal(PhoneModels.Find(model)!, lines, keys));
    }

    [Fact]
    public void The_phone_s_own_settings_win_over_asterisk_s_for_the_same_index()
    {
        var mine = new[] { new FeatureKey(1, FeatureKeyKind.Blf, "6001", "Mine") };
        var asterisk = new[] { new FeatureKey(2, FeatureKeyKind.SpeedDial, "6002", null), new FeatureKey(1, FeatureKeyKind.SpeedDial, "6009", null) };

        Assert.Equal([("6001", "Mine"), ("6002", "6002")], FeatureKeys.Merge(mine, asterisk).Select(k => (k.Number, k.EffectiveLabel)));
    }

    [Theory]
    [InlineData("key.1", "key.", 1)]
    [InlineData("KEY.99", "key.", 99)]
    [InlineData("key.100", "key.", null)]
    [InlineData("ACB_KEY_3", "ACB_KEY_", 3)]
    [InlineData("acb_key_3", "ACB_KEY_", 3)]
    [InlineData("ACB_KEY_", "ACB_KEY_", null)]
    [InlineData("ACB_KEY_-1", "ACB_KEY_", null)]
    public void IndexOf_reads_n(string name, string prefix, int? index) => Assert.Equal(index, FeatureKeys.IndexOf(name, prefix));
}
