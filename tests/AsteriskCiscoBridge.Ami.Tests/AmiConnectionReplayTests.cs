using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests;

/// <summary>
/// The connection against the recordings themselves: each scenario's transcript is replayed chunk by
/// chunk; the client sends the recorded actions (grouped as they were written, so pipelined ones go
/// out together) and must get exactly the recorded answers and unsolicited events.
/// </summary>
public sealed class AmiConnectionReplayTests
{
    private static readonly Dictionary<string, string> Secrets = new(StringComparer.Ordinal)
    {
        ["bridge"] = "bridgepw",
        ["readonly"] = "readonlypw",
        ["auditor"] = "auditorpw",
    };

    [Theory]
    [InlineData("login-plain")]
    [InlineData("login-challenge-md5")]
    [InlineData("login-events-off")]
    [InlineData("action-before-login")]
    [InlineData("pjsip-show")]
    [InlineData("getconfig")]
    [InlineData("pipelined-actions")]
    [InlineData("registration-and-notify")]
    [InlineData("config-change")]
    [InlineData("reload-core")]
    [InlineData("reload-manager")]
    [InlineData("reload-module-res_pjsip")]
    [InlineData("reload-module-res_pjsip_notify")]
    [InlineData("reload-pjsip")]
    [InlineData("permission-denied")]
    [InlineData("permission-denied-command-as-bridge")]
    [InlineData("pjsipnotify-errors")]
    [InlineData("astdb")]
    [InlineData("shutdown")]
    [InlineData("connect-during-boot")]
    public async Task Connection_replaying_a_recording_gets_the_recorded_answers_and_events(string scenario)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTranscriptReplayServer.Start(scenario);
        var groups = RequestGroups(scenario);
        var loginRequest = groups.SelectMany(g => g).Select(e => e.Request).First(r => r["Action"] is "Login");
        var options = new AmiConnectionOptions
        {
            Port = server.Port,
            Username = loginRequest["Username"]!,
            Secret = Secrets[loginRequest["Username"]!],
            AuthType = groups.SelectMany(g => g).Any(e => e.Request["Action"] == "Challenge") ? AmiAuthType.Md5 : AmiAuthType.Plain,
            ReceiveEvents = !string.Equals(loginRequest["Events"], "off", StringComparison.OrdinalIgnoreCase),
            PingInterval = TimeSpan.Zero,
        };

        var connection = await AmiConnection.ConnectAsync(options, TimeProvider.System, null, ct);
        Assert.Equal("Asterisk Call Manager/11.0.0", connection.Banner);
        var closedByServer = false;
        var challenged = false;
        foreach (var group in groups)
        {
            var first = group[0].Request["Action"];
            if (first is "Challenge" or "Login")
            {
                // LoginAsync sends Challenge and Login itself; the recorded Login after a Challenge is covered.
                if (!challenged)
                {
                    await connection.LoginAsync(ct);
                }

                challenged = first is "Challenge";
                continue;
            }

            var actions = group.Select(e => (e.Expected, Task: connection.SendAsync(ToAction(e.Request), ct))).ToList();
            foreach (var (expected, task) in actions)
            {
                var response = await task.WaitAsync(TimeSpan.FromSeconds(30), ct);
                AssertSameMessages(expected, [response.Response, .. response.Events, .. response.Completion is null ? [] : new[] { response.Completion }]);
            }

            closedByServer |= first is "Logoff";
        }

        var expectedEvents = AmiFixtures.Messages(scenario).Where(m => m.Kind == "event" && !m.Headers.Any(h => h.Key == "ActionID")).ToList();
        var serverCloses = AmiFixtures.Messages(scenario).Any(m => m.Kind == "connection-closed-by-server");
        if (serverCloses)
        {
            var reason = await connection.Closed.WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.Contains("closed by", reason.Message, StringComparison.Ordinal);
        }

        var events = new List<AmiMessage>();
        while (events.Count < expectedEvents.Count)
        {
            events.Add(await connection.Events.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct));
        }

        Assert.Equal(
            expectedEvents.Select(e => string.Join("|", e.Headers.Select(h => h.Key + ": " + h.Value.TrimEnd('\n')))),
            events.Select(e => string.Join("|", e.Fields.Select(f => f.Name + ": " + f.Value))));
        await connection.DisposeAsync();
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(closedByServer || serverCloses);
    }

    [Theory]
    [InlineData("login-bad-secret", "bridge", "wrong", AmiAuthType.Plain)]
    [InlineData("login-unknown-user", "nosuchuser", "whatever", AmiAuthType.Plain)]
    [InlineData("login-challenge-bad-key", "bridge", "wrong", AmiAuthType.Md5)]
    public async Task Login_refused_throws_authentication_error_and_the_connection_closes(string scenario, string user, string secret, AmiAuthType authType)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTranscriptReplayServer.Start(scenario);
        var login = AmiFixtures.ParseMessages(AmiFixtures.Bytes(scenario, "client-stream.raw")).Last();
        var options = new AmiConnectionOptions
        {
            Port = server.Port,
            Username = login["Username"] ?? user,
            Secret = login["Secret"] ?? secret,
            AuthType = authType,
            PingInterval = TimeSpan.Zero,
        };

        await using var connection = await AmiConnection.ConnectAsync(options, TimeProvider.System, null, ct);
        if (authType == AmiAuthType.Md5)
        {
            // The recorded Key was made from a secret we do not know; the replay server checks fields,
            // so replay the recorded Key by sending the recorded actions as they were.
            var requests = AmiFixtures.ParseMessages(AmiFixtures.Bytes(scenario, "client-stream.raw"));
            var challenge = await connection.SendAsync(ToAction(requests[0]), ct);
            Assert.True(challenge.IsSuccess);
            var refused = await connection.SendAsync(ToAction(requests[1]), ct);
            Assert.Equal("Authentication failed", refused.Message);
        }
        else
        {
            var ex = await Assert.ThrowsAsync<AmiAuthenticationException>(() => connection.LoginAsync(ct));
            Assert.Equal("Authentication failed", ex.Message);
        }

        var reason = await connection.Closed.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Contains("closed by", reason.Message, StringComparison.Ordinal);
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact]
    public void Md5Key_matches_the_recorded_login()
    {
        var login = AmiFixtures.ParseMessages(AmiFixtures.Numbered("login-challenge-md5", "02-", "request"))[0];
        var challenge = AmiFixtures.ParseMessages(AmiFixtures.Numbered("login-challenge-md5", "01-", "response"))[0];
        Assert.Equal(login["Key"], AmiConnection.Md5Key(challenge["Challenge"]!, "bridgepw"));
    }

    internal static AmiAction ToAction(AmiMessage request)
    {
        var action = new AmiAction(request["Action"]!);
        foreach (var field in request.Fields.Skip(1).Where(f => f.Name != "ActionID"))
        {
            action.Add(field.Name, field.Value);
        }

        return action;
    }

    private static void AssertSameMessages(IReadOnlyList<AmiMessage> expected, IReadOnlyList<AmiMessage> actual)
    {
        static IEnumerable<string> Shape(IEnumerable<AmiMessage> messages) =>
            messages.Select(m => string.Join("|", m.Fields.Select(f => f.Name == "ActionID" ? "ActionID" : f.Name + ": " + f.Value)));
        Assert.Equal(Shape(expected), Shape(actual));
    }

    // Exchanges grouped by the client chunk their requests were written in.
    private static List<List<(AmiMessage Request, IReadOnlyList<AmiMessage> Expected)>> RequestGroups(string scenario)
    {
        var byId = AmiFixtures.Exchanges(scenario).ToDictionary(
            name => AmiFixtures.ParseMessages(AmiFixtures.Bytes(scenario, name + ".request.raw"))[0].ActionId!,
            name => (Request: AmiFixtures.ParseMessages(AmiFixtures.Bytes(scenario, name + ".request.raw"))[0],
                     Expected: AmiFixtures.ParseMessages(AmiFixtures.Bytes(scenario, name + ".response.raw"))));
        var groups = new List<List<(AmiMessage, IReadOnlyList<AmiMessage>)>>();
        foreach (var chunk in AmiFixtures.Transcript(scenario).Where(c => c.Direction == "c2s"))
        {
            groups.Add([.. AmiFixtures.ParseMessages(chunk.Bytes).Select(r => byId[r.ActionId!])]);
        }

        return groups;
    }
}
