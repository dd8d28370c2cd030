using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

/// <summary>Reliability catalogue §5.5 case 30: a resync is proven by a fetch and a registration after it, never by the fetch alone.</summary>
public sealed class ResyncProofTests
{
    private static readonly DateTimeOffset Fetched = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Deadline = Fetched.AddMinutes(5);

    private const string Uri = "sip:6001@10.0.0.5:5060";
    private static readonly DateTimeOffset Expired = Fetched.AddMinutes(50);

    // At its NOTIFY the phone had one registration, from Uri, expiring at Expired.
    private static ResyncProofFacts Facts(params ResyncContact[] now) => new()
    {
        FetchedAt = Fetched,
        RegistrationsBefore = [new ResyncRegistration("old-call@10.0.0.5", Uri, Expired)],
        ContactsNow = now,
        RegisterDeadline = Deadline,
    };

    [Fact]
    public void No_fetch_yet_awaits_the_fetch_whatever_registers()
    {
        var proof = ResyncProofRule.Decide(Facts(new ResyncContact("6001", "new-call", "Reachable")) with { FetchedAt = null }, Deadline.AddHours(1));
        Assert.Equal(ResyncProofState.AwaitingFetch, proof.State);
    }

    [Fact]
    public void A_fetch_and_a_registration_with_a_new_Call_ID_is_proven()
    {
        var proof = ResyncProofRule.Decide(Facts(new ResyncContact("6001", "new-call@10.0.0.5", "NonQualified")), Fetched.AddSeconds(20));
        Assert.Equal(new ResyncProof(ResyncProofState.Proven, "fetched and registered again (Call-ID new-call@10.0.0.5)"), proof);
    }

    [Fact]
    public void The_same_contact_and_Call_ID_with_a_later_expiration_is_a_refresh_from_the_same_uri_and_proven()
    {
        // Asterisk 22 keeps the stored Call-ID on a REGISTER from the same URI and only moves ExpirationTime.
        var refreshed = new ResyncContact("6001", "old-call@10.0.0.5", "Reachable", Uri, Fetched.AddSeconds(30).AddHours(1));

        var proof = ResyncProofRule.Decide(Facts(refreshed), Fetched.AddSeconds(40));

        Assert.Equal(new ResyncProof(ResyncProofState.Proven, $"fetched and registered again (contact {Uri} refreshed, expires 2026-11-22 09:00:30 UTC)"), proof);
    }

    [Fact]
    public void The_same_contact_with_an_earlier_expiration_is_a_refresh_too_a_shorter_expiry_in_the_new_files()
    {
        var refreshed = new ResyncContact("6001", "old-call@10.0.0.5", "Reachable", Uri, Fetched.AddSeconds(30).AddMinutes(10));
        Assert.Equal(ResyncProofState.Proven, ResyncProofRule.Decide(Facts(refreshed), Fetched.AddSeconds(40)).State);
    }

    [Fact]
    public void A_contact_uri_not_recorded_before_is_proven_even_with_an_old_Call_ID()
    {
        var moved = new ResyncContact("6001", "old-call@10.0.0.5", "NonQualified", "sip:6001@10.0.0.5:5062", Expired);

        var proof = ResyncProofRule.Decide(Facts(moved), Fetched.AddSeconds(40));

        Assert.Equal(new ResyncProof(ResyncProofState.Proven, "fetched and registered again (new contact sip:6001@10.0.0.5:5062)"), proof);
    }

    [Fact]
    public void The_same_contact_Call_ID_and_expiration_is_no_proof()
    {
        var same = new ResyncContact("6001", "old-call@10.0.0.5", "Reachable", Uri, Expired);
        Assert.Equal(ResyncProofState.AwaitingRegistration, ResyncProofRule.Decide(Facts(same), Fetched.AddSeconds(40)).State);
    }

    [Fact]
    public void A_contact_without_an_expiration_now_or_then_is_no_proof_of_a_refresh()
    {
        var unknown = new ResyncContact("6001", "old-call@10.0.0.5", "Reachable", Uri);
        var recordedWithout = Facts(new ResyncContact("6001", "old-call@10.0.0.5", "Reachable", Uri, Expired.AddMinutes(1))) with
        {
            RegistrationsBefore = [new ResyncRegistration("old-call@10.0.0.5", Uri)],
        };

        Assert.Equal(ResyncProofState.AwaitingRegistration, ResyncProofRule.Decide(Facts(unknown), Fetched.AddSeconds(40)).State);
        Assert.Equal(ResyncProofState.AwaitingRegistration, ResyncProofRule.Decide(recordedWithout, Fetched.AddSeconds(40)).State);
    }

    [Fact]
    public void A_contact_that_disappeared_is_no_proof_and_is_stale_at_the_deadline()
    {
        // Two lines before; now only the second one's unchanged contact is left.
        var facts = Facts(new ResyncContact("6002", "line2-call@10.0.0.5", "Reachable", "sip:6002@10.0.0.5:5060", Expired)) with
        {
            RegistrationsBefore = [new ResyncRegistration("old-call@10.0.0.5", Uri, Expired), new ResyncRegistration("line2-call@10.0.0.5", "sip:6002@10.0.0.5:5060", Expired)],
        };

        Assert.Equal(ResyncProofState.AwaitingRegistration, ResyncProofRule.Decide(facts, Fetched.AddSeconds(40)).State);
        Assert.Equal(ResyncProofState.Stale, ResyncProofRule.Decide(facts, Deadline).State);
    }

    [Fact]
    public void Registrations_recorded_by_Call_ID_alone_prove_by_a_new_Call_ID_only()
    {
        var legacy = Facts(new ResyncContact("6001", "old-call@10.0.0.5", "Reachable", "sip:6001@10.0.0.5:5062", Expired)) with
        {
            RegistrationsBefore = [new ResyncRegistration("old-call@10.0.0.5")],
        };

        Assert.Equal(ResyncProofState.AwaitingRegistration, ResyncProofRule.Decide(legacy, Fetched.AddSeconds(40)).State);
        Assert.Equal(ResyncProofState.Proven, ResyncProofRule.Decide(legacy with { ContactsNow = [new ResyncContact("6001", "new-call", "Reachable", Uri)] }, Fetched.AddSeconds(40)).State);
    }

    [Fact]
    public void A_fetch_with_the_old_registration_still_there_waits_until_the_deadline_then_is_stale()
    {
        var facts = Facts(new ResyncContact("6001", "old-call@10.0.0.5", "Reachable", Uri, Expired));

        Assert.Equal(ResyncProofState.AwaitingRegistration, ResyncProofRule.Decide(facts, Deadline.AddTicks(-1)).State);
        Assert.Equal(new ResyncProof(ResyncProofState.Stale, "fetched but did not register"), ResyncProofRule.Decide(facts, Deadline));
    }

    [Fact]
    public void A_fetch_and_no_contact_at_all_by_the_deadline_is_stale()
    {
        Assert.Equal(ResyncProofState.Stale, ResyncProofRule.Decide(Facts(), Deadline.AddSeconds(1)).State);
    }

    [Fact]
    public void A_new_contact_that_is_unreachable_or_removed_is_no_proof()
    {
        var facts = Facts(new ResyncContact("6001", "new-call", "Unreachable"), new ResyncContact("6002", "newer-call", "Removed"));
        Assert.Equal(ResyncProofState.AwaitingRegistration, ResyncProofRule.Decide(facts, Fetched).State);
    }

    [Fact]
    public void A_phone_without_lines_or_with_a_static_contact_is_proven_by_its_fetch()
    {
        Assert.Equal(ResyncProofState.Proven, ResyncProofRule.Decide(Facts() with { HasLines = false }, Fetched).State);
        Assert.Equal(ResyncProofState.Proven, ResyncProofRule.Decide(Facts(new ResyncContact("6006", null, null, "sip:6006@127.0.0.1:5072")), Fetched).State);
    }

    [Fact]
    public void A_stale_phone_that_registers_later_is_proven_then()
    {
        var late = Facts(new ResyncContact("6001", "new-call", "Reachable"));
        Assert.Equal(ResyncProofState.Proven, ResyncProofRule.Decide(late, Deadline.AddHours(2)).State);
    }

    [Fact]
    public void A_proof_says_how_long_after_the_fetch_it_came()
    {
        var proof = new ResyncProof(ResyncProofState.Proven, "fetched and registered again (Call-ID new-call)");

        Assert.Equal("fetched and registered again (Call-ID new-call), 12.3 s after its fetch", ResyncProofRule.ProvenDetail(proof, Fetched, Fetched.AddMilliseconds(12_345)));
    }

    [Theory]
    [InlineData(300, "fetched but did not register within 5 min of its last fetch (check its SIP password and proxy address)")]
    [InlineData(90, "fetched but did not register within 90 s of its last fetch (check its SIP password and proxy address)")]
    [InlineData(30, "fetched but did not register within 30 s of its last fetch (check its SIP password and proxy address)")]
    public void A_missed_registration_names_the_deadline_and_what_to_check(int seconds, string reason) =>
        Assert.Equal(reason, ResyncProofRule.StaleReason(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_fetch_after_a_notify_names_the_file_and_the_delay()
    {
        Assert.Equal("SEP0011223344AA.cnf.xml fetched 4.0 s after the NOTIFY", ResyncProofRule.FetchDetail("SEP0011223344AA.cnf.xml", Fetched.AddSeconds(4), Fetched));
    }

    [Fact]
    public void A_proof_is_logged_after_a_notify_or_to_clear_a_stale_mark_but_not_for_a_phone_that_fetched_unasked()
    {
        Assert.True(ResyncProofRule.IsLogged(notified: true, ResyncState.AwaitingRegistration));
        Assert.True(ResyncProofRule.IsLogged(notified: false, ResyncState.Stale));
        Assert.False(ResyncProofRule.IsLogged(notified: false, ResyncState.AwaitingRegistration));
    }
}
