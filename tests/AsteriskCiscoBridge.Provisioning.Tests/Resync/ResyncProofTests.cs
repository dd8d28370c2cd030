using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

/// <summary>Reliability catalogue §5.5 case 30: a resync is proven by a fetch and a registration after it, never by the fetch alone.</summary>
public sealed class ResyncProofTests
{
    private static readonly DateTimeOffset Fetched = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Deadline = Fetched.AddMinutes(5);

    private static ResyncProofFacts Facts(params ResyncContact[] now) => new()
    {
        FetchedAt = Fetched,
        RegistrationsBefore = ["old-call@10.0.0.5"],
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
    public void A_fetch_with_the_old_registration_still_there_waits_until_the_deadline_then_is_stale()
    {
        var facts = Facts(new ResyncContact("6001", "old-call@10.0.0.5", "Reachable"));

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
}
