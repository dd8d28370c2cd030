using System.Net;
using System.Text;
using System.Text.Json;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// Asterisk is the source of truth: a MAC that pjsip.conf binds to an endpoint (set_var=CISCO_MAC) is
/// served with no bridge command, listed by acb phones and rendered by acb render as served; acb unbind
/// refuses it and names the line to edit; removing the set_var withdraws the credentials.
/// </summary>
public sealed class AsteriskBindingTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0006D7AA2A2E").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_phone_bound_only_in_asterisk_is_served_listed_and_rendered_and_unbind_names_the_set_var()
    {
        var pbx = new AmiTestPbx();
        var desk = AmiTestEndpoint.Plain("6004", "desk-secret", "\"Desk\" <6004>") with { SetVars = [new("CISCO_MAC", "0006.d7aa.2a2e"), new("CISCO_MODEL", "CP-7945G")] };
        pbx.Set(desk);
        pbx.Set(AmiTestEndpoint.Plain("6001", "other-secret"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);

        // Served over TFTP as a 7945 with its line: no acb bind was run.
        var served = await FetchAsync(service.Tftp, $"SEP{Mac}.cnf.xml");
        Assert.Contains("<authPassword>desk-secret</authPassword>", served, StringComparison.Ordinal);
        Assert.Equal("7945", (await service.Phones.GetAsync(Mac, Ct))!.Model);

        // The CLI sees what the service serves.
        var (phonesExit, phonesJson) = await service.CliAsync(Ct, "phones", "--json");
        var phone = Assert.Single(JsonDocument.Parse(phonesJson).RootElement.EnumerateArray());
        Assert.Equal(0, phonesExit);
        Assert.Equal(("7945", "set_var"), (phone.GetProperty("model").GetString(), phone.GetProperty("modelSource").GetString()));
        var line = Assert.Single(phone.GetProperty("lines").EnumerateArray());
        Assert.Equal(("6004", "set_var", true), (line.GetProperty("endpoint").GetString(), line.GetProperty("source").GetString(), line.GetProperty("served").GetBoolean()));
        var (renderExit, rendered) = await service.CliAsync(Ct, "render", Mac.Value, $"SEP{Mac}.cnf.xml");
        Assert.Equal(0, renderExit);
        // With no Site:AsteriskHost and everything on loopback, the file names the address each request
        // arrives on: acb render shows the marker the serving layer replaces.
        Assert.Contains(served, rendered.Replace(SipServer.RequestLocalHost, "127.0.0.1", StringComparison.Ordinal), StringComparison.Ordinal);

        var (unbindExit, unbind) = await service.CliAsync(Ct, "unbind", Mac.Value);
        Assert.Equal(1, unbindExit);
        Assert.Equal($"{Mac} is bound in Asterisk, not by acb bind: remove set_var=CISCO_MAC=… from endpoint 6004 in pjsip.conf, then: asterisk -rx \"module reload res_pjsip.so\"\n", unbind);

        // The admin removes the set_var and reloads: the credentials stop being served at once.
        var rounds = service.Sync.Rounds;
        pbx.Set(desk with { SetVars = [] });
        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "a round after the set_var was removed", Ct);
        Assert.DoesNotContain("desk-secret", await FetchAsync(service.Tftp, $"SEP{Mac}.cnf.xml"), StringComparison.Ordinal);
    }

    private static async Task<string> FetchAsync(IPEndPoint server, string name)
    {
        using var client = new TftpTestClient();
        return Encoding.UTF8.GetString((await client.DownloadAsync(server, name, Ct)).Bytes);
    }
}
