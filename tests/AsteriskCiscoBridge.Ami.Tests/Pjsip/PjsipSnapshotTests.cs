using System.Collections.Immutable;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests.Pjsip;

/// <summary>A contacts-only refresh applied to a snapshot built from the lab's recordings (no phone registered in pjsip-show).</summary>
public sealed class PjsipSnapshotTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<AmiMessage> ListEvents(string scenario, string prefix) =>
        [.. AmiFixtures.ParseMessages(AmiFixtures.Numbered(scenario, prefix, "response")).Skip(1).SkipLast(1)];

    private static PjsipSnapshot Unregistered() =>
        PjsipSnapshotBuilder.Build(
            new PjsipReadResults(
                ListEvents("pjsip-show", "02-"),
                ListEvents("pjsip-show", "13-"),
                [],
                GetConfigFile.Parse(AmiFixtures.ParseMessages(AmiFixtures.Numbered("getconfig", "02-", "response"))[0]),
                new Dictionary<string, IReadOnlyList<AmiMessage>>()),
            Now,
            6);

    [Fact]
    public void Contacts_reads_the_recorded_ContactList_with_its_Call_ID()
    {
        var contact = Assert.Single(PjsipSnapshotBuilder.Contacts(ListEvents("registration-and-notify", "02-")));

        Assert.Equal(new PjsipContact("6001", "sip:6001@127.0.0.1:5070;transport=udp", "Cisco-CP7945G/9.4.2-fake", "a27227129d9f1beb@127.0.0.1", "Reachable", DateTimeOffset.FromUnixTimeSeconds(1795313105)), contact);
        Assert.False(contact.IsStatic);
    }

    [Fact]
    public void WithContacts_replaces_registered_contacts_keeps_static_ones_and_ignores_an_older_update()
    {
        var snapshot = Unregistered();
        var lobby = Assert.Single(snapshot.Find("6006")!.Contacts);
        Assert.True(lobby.IsStatic);

        var update = new PjsipContactsUpdate { TakenAt = Now.AddSeconds(30), Contacts = PjsipSnapshotBuilder.Contacts(ListEvents("registration-and-notify", "02-")) };
        var refreshed = snapshot.WithContacts(update);

        Assert.Equal("a27227129d9f1beb@127.0.0.1", Assert.Single(refreshed.Find("6001")!.Contacts).CallId);
        Assert.Equal([lobby], refreshed.Find("6006")!.Contacts);
        Assert.Equal(Now.AddSeconds(30), refreshed.ContactsTakenAt);
        Assert.Equal(Now, refreshed.TakenAt);
        Assert.Equal(snapshot.Find("6001")!.Auth, refreshed.Find("6001")!.Auth);

        // The phone unregisters (contacts empty); an update older than the last one changes nothing.
        var gone = refreshed.WithContacts(new PjsipContactsUpdate { TakenAt = Now.AddSeconds(60), Contacts = ImmutableArray<PjsipContact>.Empty });
        Assert.Empty(gone.Find("6001")!.Contacts);
        Assert.Same(gone, gone.WithContacts(update));
    }
}
