using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Host.Tests.Configuration;

public sealed class ConfigurationCheckTests
{
    private static IReadOnlyList<string> Problems(params (string Key, string? Value)[] values) =>
        ConfigurationCheck.Problems(AcbConfiguration.Build(null, values.ToDictionary(v => v.Key, v => v.Value)));

    [Fact]
    public void No_settings_and_the_packaged_example_have_no_problem()
    {
        Assert.Empty(Problems());
        Assert.Empty(Problems(("Ami:Sync:MinInterval", "00:00:05"), ("Resync:NotifyTries", "3"), ("Resync:SendFailureCap", "5"), ("Resync:NotifyRetryDelay", "00:00:10"), ("Resync:RegisterDeadline", "00:05:00")));
        Assert.Empty(ConfigurationCheck.Problems(AcbConfiguration.Build(Path.Combine(RepositoryPaths.Root, "packaging", "acb.json"))));
    }

    [Theory]
    [InlineData("Tftp:Listne", "0.0.0.0:69", "unknown key Tftp:Listne (did you mean Tftp:Listen?)")]
    [InlineData("tftp:maxblksize", "1468", "unknown key Tftp:maxblksize (did you mean Tftp:MaxBlockSize?)")]
    [InlineData("Ami:Sync:Debunce", "00:00:01", "unknown key Ami:Sync:Debunce (did you mean Ami:Sync:Debounce?)")]
    [InlineData("Ami:Snyc:Debounce", "00:00:01", "unknown key Ami:Snyc (did you mean Ami:Sync?)")]
    [InlineData("Security:RateLimit:Brust", "5", "unknown key Security:RateLimit:Brust (did you mean Security:RateLimit:Burst?)")]
    [InlineData("Resync:Colour", "blue", "unknown key Resync:Colour (Resync has CallDeferDeadline, CallRecheckInterval, Enabled, FetchDeadline, Interval, NotifyRetryDelay, NotifyTries, ProofPollInterval, RegisterDeadline, SendFailureCap, VersionStamps)")]
    [InlineData("Tfpt:Listen", "0.0.0.0:69", "unknown section Tfpt (did you mean Tftp?)")]
    public void An_unknown_key_is_named_with_the_nearest_known_one(string key, string value, string problem) =>
        Assert.Equal([problem], Problems((key, value)));

    [Fact]
    public void A_computed_property_is_not_a_setting_the_binder_would_honour()
    {
        // RateLimitOptions.Enabled is RequestsPerSecond > 0 && Burst > 0: setting it would do nothing.
        Assert.Equal(["unknown key Security:RateLimit:Enabled (Security:RateLimit has Burst, MaxTrackedAddresses, RequestsPerSecond)"], Problems(("Security:RateLimit:Enabled", "false")));
    }

    [Fact]
    public void Every_section_of_the_contract_refuses_an_unknown_key()
    {
        foreach (var section in AcbSections.All)
        {
            Assert.Contains($"unknown key {section.Path}:NoSuchSettingAtAll", Problems(($"{section.Path}:NoSuchSettingAtAll", "1"))[0], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Resync:Interval", "abc", "Resync:Interval 'abc' is not a time span (hh:mm:ss, e.g. 00:00:30)")]
    [InlineData("Resync:Interval", "5", "Resync:Interval '5' is not a time span (hh:mm:ss, e.g. 00:00:30)")]
    [InlineData("Resync:FetchDeadline", "-00:01:00", "Resync:FetchDeadline '-00:01:00' is negative")]
    [InlineData("Resync:Enabled", "yes", "Resync:Enabled 'yes' is not true or false")]
    [InlineData("Tftp:MaxBlockSize", "big", "Tftp:MaxBlockSize 'big' is not a whole number")]
    [InlineData("Security:RateLimit:RequestsPerSecond", "ten", "Security:RateLimit:RequestsPerSecond 'ten' is not a number")]
    [InlineData("Security:AddressPinning", "3", "Security:AddressPinning '3' is not one of Off, Alert, Deny")]
    [InlineData("Site:Unprovisioned", "Nothing", "Site:Unprovisioned 'Nothing' is not one of DefaultConfig, NotFound")]
    [InlineData("Ami:Port", "5038x", "Ami:Port '5038x' is not a whole number")]
    [InlineData("Ami:Sync:MinInterval", "5", "Ami:Sync:MinInterval '5' is not a time span (hh:mm:ss, e.g. 00:00:30)")]
    [InlineData("Resync:RegisterDeadline", "-00:05:00", "Resync:RegisterDeadline '-00:05:00' is negative")]
    public void A_value_of_the_wrong_kind_is_named_with_its_key_and_text(string key, string value, string problem) =>
        Assert.Equal([problem], Problems((key, value)));

    [Fact]
    public void A_value_where_a_list_or_section_belongs_and_the_reverse_are_refused()
    {
        Assert.Equal(["Resync:Interval takes one value, not a list or keys under it (Resync:Interval:0)"], Problems(("Resync:Interval:0", "00:00:01")));
        Assert.Equal(["Tftp:AllowedNetworks is a list: its items are Tftp:AllowedNetworks:0, Tftp:AllowedNetworks:1, …, not Tftp:AllowedNetworks:first"], Problems(("Tftp:AllowedNetworks:first", "10.0.0.0/8")));
        Assert.Equal(["Security:RateLimit takes keys of its own (Burst, MaxTrackedAddresses, RequestsPerSecond), not one value"], Problems(("Security:RateLimit", "10")));
        Assert.StartsWith("Tftp is a section: set its keys (", Assert.Single(Problems(("Tftp", "0.0.0.0:69"))), StringComparison.Ordinal);
        Assert.Equal(["Firmware:Defaults:7961 takes one value, not a list or keys under it (Firmware:Defaults:7961:0)"], Problems(("Firmware:Defaults:7961:0", "SIP41.9-4-2SR3-1S")));
    }

    [Fact]
    public void Free_form_names_are_not_unknown_keys_but_their_items_are_checked()
    {
        Assert.Empty(Problems(
            ("Firmware:Defaults:7961", "SIP41.9-4-2SR3-1S"),
            ("Firmware:Defaults:7960", "P0S3-08-12-00"),
            ("Firmware:Staircase:0", "lab: 79x1/41 sip below 9.0(0) to 9.4(2)+ via 9.3"),
            ("Site:ExtraCnfKeys:0:Name", "dnd_control"),
            ("Site:ExtraCnfKeys:0:Value", "0"),
            ("Site:ExtraXmlElements:0:Name", "dndControl"),
            ("Site:ExtraXmlElements:0:Value", "1"),
            ("Logging:LogLevel:Default", "Trace"),
            ("SOMETHING_ELSE", "a lone value under the ACB_ prefix belongs to another program")));
        Assert.Equal(["unknown key Site:ExtraCnfKeys:0:Nmae (did you mean Site:ExtraCnfKeys:0:Name?)", "Site:ExtraCnfKeys:0 needs Site:ExtraCnfKeys:0:Name"],
            Problems(("Site:ExtraCnfKeys:0:Nmae", "dnd_control"), ("Site:ExtraCnfKeys:0:Value", "0")));
    }

    [Fact]
    public void Each_options_type_applies_its_own_rules_at_start()
    {
        Assert.Equal(["Ami:Port must be 1–65535"], Problems(("Ami:Port", "70000")));
        Assert.Equal(["Ami:Secret is not set, but Ami:Username is"], Problems(("Ami:Username", "acb")));
        Assert.Equal(["Ami:Sync:PollInterval must be between 00:00:01 and 365.00:00:00"], Problems(("Ami:Sync:PollInterval", "00:00:00")));
        Assert.Equal(["Security:MaxDistinctMacs must be 1 or more"], Problems(("Security:MaxDistinctMacs", "0")));
        Assert.Equal(["Storage:RequestLogRetention must be between 01:00:00 and 3650.00:00:00"], Problems(("Storage:RequestLogRetention", "00:10:00")));
        Assert.Equal(["Storage:RequestLogMaxRows must be between 1000 and 1000000000"], Problems(("Storage:RequestLogMaxRows", "10")));
        Assert.Equal(["Storage:MaxSizeMegabytes must be 1 or more"], Problems(("Storage:MaxSizeMegabytes", "0")));
        Assert.Empty(Problems(("Storage:RequestLogRetention", "7.00:00:00"), ("Storage:RequestLogMaxRows", "50000"), ("Storage:MaxSizeMegabytes", "512")));
        // Neither user nor secret: the service runs on its store alone, as the README says.
        Assert.Empty(Problems(("Ami:Host", "192.0.2.5")));
    }

    [Fact]
    public void Every_problem_is_reported_one_line_each()
    {
        var problems = Problems(("Tftp:Listne", "x"), ("Resync:Interval", "abc"), ("Http:Lsten", "x"));

        Assert.Equal(3, problems.Count);
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
    }

    [Fact]
    public void A_secret_in_the_wrong_place_is_named_but_never_repeated()
    {
        var problems = Problems(("Ami:Secret:0", "hunter2-the-secret"), ("Dashboard:Token:x", "token-0123456789abcdef"));

        Assert.Equal(["Ami:Secret takes one value, not a list or keys under it (Ami:Secret:0)", "Dashboard:Token takes one value, not a list or keys under it (Dashboard:Token:x)"], problems);
        Assert.DoesNotContain(problems, p => p.Contains("hunter2", StringComparison.Ordinal) || p.Contains("0123456789", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Listen", "Listne", 1)]
    [InlineData("Tftp", "Tfpt", 1)]
    [InlineData("Debounce", "Debunce", 1)]
    [InlineData("Interval", "Internal", 1)]
    [InlineData("Burst", "Brust", 1)]
    [InlineData("Listen", "Lsten", 1)]
    [InlineData("Staircase", "Stair", 4)]
    [InlineData("", "abc", 3)]
    public void Edit_distance_counts_a_swap_of_neighbours_as_one(string a, string b, int distance) =>
        Assert.Equal(distance, ConfigurationCheck.EditDistance(a, b));
}
