using System.Net;
using System.Text;
using System.Xml.Linq;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// Issue 10, item 10: one bad line never blanks a phone. An endpoint whose password holds a <c>"</c>
/// (which SIP&lt;MAC&gt;.cnf cannot carry) costs a 7940/7960 that line only, named in the round's
/// problems; a 79x1 carries it as <c>&amp;quot;</c>; a phone left with no line is deprovisioned.
/// </summary>
public sealed class LeftOutLineTests
{
    private static readonly MacAddress Mac7960 = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress Mac7961 = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly MacAddress Mac7940 = MacAddress.Parse("0011223344CC").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_password_one_file_cannot_carry_leaves_that_line_out_and_the_phone_keeps_its_two_good_lines()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "first-secret", "\"Ann\" <6001>"));
        pbx.Set(AmiTestEndpoint.Plain("6002", "has\"quote", "\"Bob\" <6002>"));
        pbx.Set(AmiTestEndpoint.Plain("6003", "third-secret", "\"Cy\" <6003>"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7960, PhoneModels.Cisco7960, Ct, Row(1, "6001"), Row(2, "6002"), Row(3, "6003"));
        await service.BindAsync(Mac7961, PhoneModels.Cisco7961, Ct, Row(1, "6002"), Row(2, "6003"));
        await service.BindAsync(Mac7940, PhoneModels.Cisco7940, Ct, Row(1, "6002"));
        await service.StartAsync(Ct, ("Site:AsteriskHost", "pbx.example.net"));

        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);

        // The 7960 keeps 6001 and 6003, in the binding's order from button 1; 6002 is named, not served.
        var cnf = await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf");
        Assert.Contains("line1_name: \"6001\"\nline1_authname: \"6001\"\nline1_password: \"first-secret\"\n", cnf, StringComparison.Ordinal);
        Assert.Contains("line2_name: \"6003\"\nline2_authname: \"6003\"\nline2_password: \"third-secret\"\n", cnf, StringComparison.Ordinal);
        Assert.Contains("line3_name: \"\"\nline3_authname: \"UNPROVISIONED\"\n", cnf, StringComparison.Ordinal);
        Assert.DoesNotContain("6002", cnf, StringComparison.Ordinal);
        var problems = service.Sync.LastRound!.Problems;
        Assert.Contains(
            $"{Mac7960}: endpoint 6002: line 2 (6002) left out of SIP{Mac7960}.cnf: lineN_password contains '\"', which a quoted cnf value cannot hold (the format has no escape for it, spec §2.2)",
            problems);

        // The 7961 carries the same password, escaped, and an XML parser reads it back unchanged.
        var xml = XDocument.Parse(await FetchAsync(service.Tftp, $"SEP{Mac7961}.cnf.xml"));
        Assert.Equal(
            [("6002", "has\"quote"), ("6003", "third-secret")],
            xml.Descendants("line").Select(l => (l.Element("name")!.Value, l.Element("authPassword")!.Value)));
        Assert.DoesNotContain(problems, p => p.StartsWith(Mac7961.ToString(), StringComparison.Ordinal));

        // The 7940's only line cannot be carried: it gets what a bound phone with no line gets, not an error.
        var answer = await TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", $"SIP{Mac7940}.cnf", Ct);
        Assert.Contains("phone_label: \"Unprovisioned\"", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("quote", answer.Text, StringComparison.Ordinal);
        Assert.Contains($"{Mac7940}: no line fits its file; it is served a configuration without credentials until a line is fixed in Asterisk", problems);
    }

    [Fact]
    public async Task Fixing_the_password_in_asterisk_brings_the_line_back_to_its_button()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "first-secret"));
        pbx.Set(AmiTestEndpoint.Plain("6002", "has\"quote"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7960, PhoneModels.Cisco7960, Ct, Row(1, "6002"), Row(2, "6001"));
        await service.StartAsync(Ct, ("Site:AsteriskHost", "pbx.example.net"));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);
        Assert.Contains("line1_name: \"6001\"", await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf"), StringComparison.Ordinal);

        var rounds = service.Sync.Rounds;
        pbx.Set(AmiTestEndpoint.Plain("6002", "no-quote"));
        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "a round after the fix", Ct);

        Assert.Equal([Mac7960], service.Sync.LastRound!.Changed);
        Assert.Empty(service.Sync.LastRound.Problems);
        var cnf = await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf");
        Assert.Contains("line1_name: \"6002\"", cnf, StringComparison.Ordinal);
        Assert.Contains("line2_name: \"6001\"", cnf, StringComparison.Ordinal);
    }

    private static BindingRow Row(int position, string endpoint) => new() { Position = position, Endpoint = endpoint };

    private static async Task<string> FetchAsync(IPEndPoint server, string name)
    {
        using var client = new TftpTestClient();
        return Encoding.UTF8.GetString((await client.DownloadAsync(server, name, Ct)).Bytes);
    }
}
