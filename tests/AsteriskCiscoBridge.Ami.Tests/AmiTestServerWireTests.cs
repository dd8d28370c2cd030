using System.Text.RegularExpressions;
using System.Text;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests;

/// <summary>The AMI test server must speak the recorded wire format: its answers for the recording lab equal the recordings.</summary>
public sealed partial class AmiTestServerWireTests
{
    [GeneratedRegex("(?<!\r)\n\r\n")]
    private static partial Regex BareLineFeedAtValueEnd();

    [Theory]
    [InlineData("PJSIPShowEndpoints", "pjsip-show", "02-")]
    [InlineData("PJSIPShowAuths", "pjsip-show", "13-")]
    [InlineData("PJSIPShowContacts", "pjsip-show", "14-")]
    public async Task Server_lab_answers_are_the_recorded_bytes(string action, string scenario, string prefix)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        var recorded = AmiFixtures.Numbered(scenario, prefix, "response");
        var recordedId = AmiFixtures.ParseMessages(recorded)[0].ActionId!;
        await using var connection = await AmiConnection.ConnectAsync(
            new AmiConnectionOptions { Port = server.Port, Username = "bridge", Secret = "bridgepw", PingInterval = TimeSpan.Zero },
            TimeProvider.System,
            null,
            ct);
        await connection.LoginAsync(ct);

        var response = await connection.SendAsync(new AmiAction(action).Add("ActionID", recordedId), ct);

        var rendered = new StringBuilder();
        foreach (var message in new[] { response.Response }.Concat(response.Events).Concat(response.Completion is null ? [] : [response.Completion]))
        {
            AmiFixtures.Write(rendered, message.Fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        }

        // Values ending in a bare LF are trimmed by the parser; compare with the same trimming.
        Assert.Equal(BareLineFeedAtValueEnd().Replace(Encoding.UTF8.GetString(recorded), "\r\n"), rendered.ToString());
    }

    [Theory]
    [InlineData("PJSIPShowEndpoints", "No endpoints found")]
    [InlineData("PJSIPShowAuths", "No Auths found")]
    public async Task Server_with_nothing_loaded_answers_an_error_in_the_recorded_none_found_shape(string action, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start(new AmiTestPbx());
        await using var connection = await AmiConnection.ConnectAsync(
            new AmiConnectionOptions { Port = server.Port, Username = "bridge", Secret = "bridgepw", PingInterval = TimeSpan.Zero },
            TimeProvider.System,
            null,
            ct);
        await connection.LoginAsync(ct);
        var recorded = AmiFixtures.ParseMessages(AmiFixtures.Numbered("pjsip-show", "14-", "response"))[0];

        var response = await connection.SendAsync(new AmiAction(action).Add("ActionID", recorded.ActionId!), ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Empty(response.Events);
        Assert.Null(response.Completion);
        Assert.Equal(
            recorded.Fields.Select(f => (f.Name, f.Name == "Message" ? message : f.Value)),
            response.Response.Fields.Select(f => (f.Name, f.Value)));
    }

    [Fact]
    public void Templates_rendered_unchanged_give_the_recorded_message()
    {
        var recorded = AmiFixtures.Numbered("pjsip-show", "03-", "response");
        var messages = AmiFixtures.ParseMessages(recorded);
        var rendered = new StringBuilder();
        AmiRecordedLayouts.DetailStart.Render(rendered, messages[0].ActionId);
        AmiRecordedLayouts.EndpointDetail.Render(rendered, messages[0].ActionId);
        AmiRecordedLayouts.AuthDetail.Render(rendered, messages[0].ActionId);
        AmiRecordedLayouts.TransportDetail.Render(rendered, messages[0].ActionId);
        AmiRecordedLayouts.AorDetail.Render(rendered, messages[0].ActionId);
        AmiRecordedLayouts.EndpointDetailComplete.Render(rendered, messages[0].ActionId);

        Assert.Equal(Encoding.UTF8.GetString(recorded), rendered.ToString());
    }

    [Fact]
    public async Task A_phoneprov_section_with_a_line_has_the_recorded_layout()
    {
        // getconfig/05: type, endpoint, MAC, PROFILE, LINEKEYS, LINE (the test server writes no LINEKEYS).
        var ct = TestContext.Current.CancellationToken;
        var recorded = AmiFixtures.ParseMessages(AmiFixtures.Numbered("getconfig", "05-", "response"))[0];
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "pw") with { PhoneprovMac = "001122334455", PhoneprovLine = "1" });
        await using var server = AmiTestServer.Start(pbx);
        await using var connection = await AmiConnection.ConnectAsync(
            new AmiConnectionOptions { Port = server.Port, Username = "bridge", Secret = "bridgepw", PingInterval = TimeSpan.Zero },
            TimeProvider.System,
            null,
            ct);
        await connection.LoginAsync(ct);

        var answer = (await connection.SendAsync(new AmiAction("GetConfig").Add("Filename", "pjsip.conf").Add("Filter", "type=phoneprov"), ct)).Response;

        Assert.Equal("6001-phone", answer["Category-000000"]);
        Assert.Equal(
            recorded.Fields.Where(f => f.Name.StartsWith("Line-000000-", StringComparison.Ordinal) && !f.Value.StartsWith("LINEKEYS=", StringComparison.Ordinal)).Select(f => f.Value),
            answer.Fields.Where(f => f.Name.StartsWith("Line-000000-", StringComparison.Ordinal)).Select(f => f.Value));
    }
}
