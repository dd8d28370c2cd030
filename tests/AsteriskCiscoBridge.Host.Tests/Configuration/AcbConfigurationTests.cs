using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Http;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Tests.Configuration;

/// <summary>The layers (file, then ACB_ variables, then options) as one configuration, lists taken whole from the last layer that sets them.</summary>
public sealed class AcbConfigurationTests : IDisposable
{
    private readonly TempDirectory _folder = new("acb-config");

    public void Dispose() => _folder.Dispose();

    private IConfiguration Build(string json, params (string Key, string? Value)[] overrides) =>
        AcbConfiguration.Build(_folder.Write("acb.json", json), overrides.ToDictionary(o => o.Key, o => o.Value));

    private static IReadOnlyList<string>? Listen(IConfiguration configuration, string key) => ListenAddresses.Values(configuration, key);

    [Fact]
    public void One_address_is_the_one_item_list_it_means_for_every_listen_key()
    {
        var configuration = Build("{}", ("Http:Listen", "127.0.0.1:8070"), ("Tftp:Listen", "127.0.0.1:6969"), ("Dashboard:Listen", "127.0.0.1:6981"));

        Assert.Equal(["127.0.0.1:8070"], configuration.GetSection("Http").Get<HttpOptions>()!.Listen);
        Assert.Equal(["127.0.0.1:6969"], Listen(configuration, "Tftp:Listen"));
        Assert.Equal(["127.0.0.1:6981"], Listen(configuration, "Dashboard:Listen"));
    }

    [Fact]
    public void The_list_form_reads_the_same()
    {
        var configuration = Build("{}", ("Http:Listen:0", "127.0.0.1:8070"), ("Http:Listen:1", "[::1]:8070"), ("Dashboard:Listen:0", "127.0.0.1:6981"));

        Assert.Equal(["127.0.0.1:8070", "[::1]:8070"], Listen(configuration, "Http:Listen"));
        Assert.Equal(["127.0.0.1:6981"], Listen(configuration, "Dashboard:Listen"));
    }

    [Fact]
    public void A_later_layer_replaces_a_list_whole_instead_of_item_by_item()
    {
        const string json = """{ "Http": { "Listen": [ "0.0.0.0:6970", "[::]:6970" ] }, "Tftp": { "Listen": [ "0.0.0.0:69", "[::]:69" ] } }""";

        var configuration = Build(json, ("Http:Listen", "127.0.0.1:8070"), ("Tftp:Listen:0", "127.0.0.1:6969"));

        Assert.Equal(["127.0.0.1:8070"], Listen(configuration, "Http:Listen"));
        Assert.Equal(["127.0.0.1:6969"], Listen(configuration, "Tftp:Listen"));
        Assert.Equal(["0.0.0.0:6970", "[::]:6970"], Listen(Build(json), "Http:Listen"));
    }

    [Fact]
    public void An_empty_list_stays_empty_and_an_unset_one_is_absent()
    {
        var configuration = Build("""{ "Dashboard": { "Listen": [] }, "Tftp": { "RefusedOptions": [] } }""");

        Assert.Equal([], Listen(configuration, "Dashboard:Listen"));
        Assert.Null(Listen(configuration, "Http:Listen"));
        Assert.Equal([], Listen(Build("{}", ("Dashboard:Listen", "")), "Dashboard:Listen"));
    }

    [Fact]
    public void A_map_still_merges_name_by_name()
    {
        var configuration = Build("""{ "Firmware": { "Defaults": { "7960": "P0S3-08-12-00", "7961": "SIP41.8-5-2S" } } }""", ("Firmware:Defaults:7961", "SIP41.9-4-2SR3-1S"));

        var defaults = SiteConfiguration.From(configuration).Firmware;

        Assert.Empty(defaults.Problems);
        Assert.Equal(
            ["7960=P0S3-08-12-00", "7961=SIP41.9-4-2SR3-1S"],
            configuration.GetSection("Firmware:Defaults").GetChildren().Select(c => $"{c.Key}={c.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void One_value_and_a_list_in_the_same_layer_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build("{}", ("Http:Listen", "127.0.0.1:8070"), ("Http:Listen:0", "127.0.0.1:8071")));

        Assert.Equal("Http:Listen is set both as one value and as a list in the same place (e.g. ACB_Http__Listen and ACB_Http__Listen__0): keep one", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_json_is_one_line_naming_it()
    {
        var e = Assert.Throws<FormatException>(() => Build("""{ "Tftp": { "Listen": [ "0.0.0.0:69", ] """));

        Assert.StartsWith($"configuration file '{Path.Combine(_folder.Path, "acb.json")}' is not valid JSON at line 1, byte 41: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
