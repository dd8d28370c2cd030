using System.CommandLine;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Testing.Ami;
using Xunit;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

public sealed class EndpointsCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("acb-endpoints-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteConfig(int port, string user = "bridge", string secret = "bridgepw")
    {
        var path = Path.Combine(_folder, "acb.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { Ami = new { Host = "127.0.0.1", Port = port, Username = user, Secret = secret } }));
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand { EndpointsCommand.Create() };
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Endpoints_json_lists_what_was_read_and_what_the_bridge_derives_with_passwords_masked()
    {
        await using var server = AmiTestServer.Start();

        var (exit, output, error) = await RunAsync("endpoints", "--json", "--config", WriteConfig(server.Port));

        Assert.Equal(0, exit);
        Assert.Empty(error);
        using var doc = JsonDocument.Parse(output);
        var endpoints = doc.RootElement.GetProperty("endpoints").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(7, endpoints.Count);
        var alice = endpoints["6001"];
        Assert.Equal("6001", alice.GetProperty("line").GetString());
        Assert.Equal("6001", alice.GetProperty("auth").GetProperty("username").GetString());
        Assert.Equal("********", alice.GetProperty("auth").GetProperty("password").GetString());
        Assert.True(alice.GetProperty("provisionable").GetBoolean());
        Assert.Equal("001122334455", alice.GetProperty("macs")[0].GetProperty("mac").GetString());
        Assert.Equal("phoneprov", alice.GetProperty("macs")[0].GetProperty("source").GetString());
        Assert.Equal("Zoë Müller", endpoints["6003"].GetProperty("callerIdName").GetString());
        Assert.False(endpoints["6005"].GetProperty("provisionable").GetBoolean());
        Assert.Contains("md5", endpoints["6005"].GetProperty("notProvisionableReason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Xk7pL2q-6001-Lab", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_show_secrets_prints_the_passwords()
    {
        await using var server = AmiTestServer.Start();

        var (exit, output, _) = await RunAsync("endpoints", "--show-secrets", "--config", WriteConfig(server.Port));

        Assert.Equal(0, exit);
        Assert.Contains("Xk7pL2q-6001-Lab", output, StringComparison.Ordinal);
        Assert.Contains("zm;6003#utf8", output, StringComparison.Ordinal);
        Assert.Contains("7 endpoints, 5 provisionable", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_table_masks_passwords_and_explains_what_is_not_provisionable()
    {
        await using var server = AmiTestServer.Start();

        var (exit, output, _) = await RunAsync("endpoints", "--config", WriteConfig(server.Port));

        Assert.Equal(0, exit);
        Assert.DoesNotContain("Xk7pL2q-6001-Lab", output, StringComparison.Ordinal);
        var notify = output.Split('\n').Single(l => l.StartsWith("notify-out", StringComparison.Ordinal));
        Assert.Contains("no: no AOR", notify, StringComparison.Ordinal);
        Assert.Contains("0006D7AA2A2E(CISCO_MAC)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_wrong_secret_fails_with_one_line()
    {
        await using var server = AmiTestServer.Start();

        var (exit, output, error) = await RunAsync("endpoints", "--config", WriteConfig(server.Port, secret: "wrong"));

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal($"acb endpoints: AMI 127.0.0.1:{server.Port}: Authentication failed", error.TrimEnd());
    }

    [Fact]
    public async Task Endpoints_permission_denied_names_the_missing_class()
    {
        await using var server = AmiTestServer.Start();

        var (exit, _, error) = await RunAsync("endpoints", "--config", WriteConfig(server.Port, "readonly", "readonlypw"));

        Assert.Equal(1, exit);
        Assert.Contains("Permission denied", error, StringComparison.Ordinal);
        Assert.Contains("write=system", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Endpoints_missing_secret_is_a_configuration_error()
    {
        var path = Path.Combine(_folder, "acb.json");
        await File.WriteAllTextAsync(path, """{ "Ami": { "Username": "bridge" } }""", TestContext.Current.CancellationToken);

        var (exit, _, error) = await RunAsync("endpoints", "--config", path);

        Assert.Equal(2, exit);
        Assert.Contains("Secret", error, StringComparison.Ordinal);
    }
}
