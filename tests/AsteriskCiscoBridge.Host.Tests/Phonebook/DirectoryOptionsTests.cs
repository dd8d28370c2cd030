using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Phonebook;
using AsteriskCiscoBridge.Services.Provisioning;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Tests.Phonebook;

public sealed class DirectoryOptionsTests
{
    [Theory]
    [InlineData(null, null, null, "http://acb-local-address.invalid:6970/directory")]
    [InlineData("0.0.0.0:8070", null, null, "http://acb-local-address.invalid:8070/directory")]
    [InlineData("[::]:6970", null, null, "http://acb-local-address.invalid:6970/directory")]
    [InlineData("192.0.2.7:6970", null, null, "http://192.0.2.7:6970/directory")]
    [InlineData("192.0.2.7:6970", "http://phones.example.net/dir", null, "http://phones.example.net/dir")]
    [InlineData("192.0.2.7:6970", "http://phones.example.net/dir", "false", null)]
    public void The_phones_are_pointed_at_the_first_http_listener_unless_an_url_is_given_or_the_directory_is_off(string? listen, string? url, string? enabled, string? expected)
    {
        var configuration = Build(("Http:Listen", listen), ("Directory:Url", url), ("Directory:Enabled", enabled));

        Assert.Equal(expected, DirectoryOptions.UrlFor(configuration));
        Assert.Equal(expected, SiteConfiguration.From(configuration).Site.ToSettings().DirectoryUrl);
    }

    [Fact]
    public void The_wildcard_url_names_the_address_each_request_reached()
    {
        Assert.StartsWith($"http://{SipServer.RequestLocalHost}:", DirectoryOptions.UrlFor(Build()), StringComparison.Ordinal);
    }

    private static IConfiguration Build(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Where(v => v.Value is not null).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
