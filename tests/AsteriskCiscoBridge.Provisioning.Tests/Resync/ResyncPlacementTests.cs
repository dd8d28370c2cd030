using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

public sealed class ResyncPlacementTests
{
    private static readonly MacAddress A = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress B = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly MacAddress C = MacAddress.Parse("0011223344CC").Mac!.Value;
    private static readonly MacAddress D = MacAddress.Parse("0011223344DD").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CallDeadline = TimeSpan.FromMinutes(30);

    private static readonly Dictionary<string, IReadOnlyList<ResyncContact>> Contacts = new()
    {
        ["6001"] = [new ResyncContact("6001", "reg-1", "Reachable")],
        ["6002"] = [new ResyncContact("6002", "reg-2", "Reachable")],
        ["6003"] = [new ResyncContact("6003", "reg-3", "Reachable")],
    };

    [Fact]
    public void Phones_with_a_live_contact_are_sent_staggered_and_a_placed_row_is_not_moved_again()
    {
        var placing = Place(
            [new QueuedResync(A, ResyncState.Pending), new QueuedResync(B, ResyncState.WaitingContact), new QueuedResync(C, ResyncState.Pending)],
            [Target(A, "6001"), Target(B, "6002"), Target(C, "6003")]);

        Assert.Equal([(A, TimeSpan.Zero), (B, Interval), (C, Interval * 2)], placing.Orders.Select(o => (o.Mac, o.Due)));
        Assert.Equal([new ResyncPlacement(B, ResyncState.Pending, null, null)], placing.Placements);
        Assert.Empty(placing.Calls);
        Assert.Empty(placing.Waiting);
    }

    [Fact]
    public void A_phone_in_a_call_is_deferred_from_its_first_sighting_and_the_next_phone_takes_its_slot()
    {
        var placing = Place(
            [new QueuedResync(A, ResyncState.Pending), new QueuedResync(B, ResyncState.Pending)],
            [Target(A, "6001"), Target(B, "6002")],
            states: new() { ["6001"] = "In use" });

        Assert.Equal([(B, TimeSpan.Zero)], placing.Orders.Select(o => (o.Mac, o.Due)));
        Assert.Equal([new ResyncPlacement(A, ResyncState.Deferred, Now, Now + CallDeadline)], placing.Placements);
        Assert.Equal([new CallHeld(A, "In use", Now + CallDeadline, SentAnyway: false)], placing.Calls);
        Assert.Equal([A], placing.Deferred);
    }

    [Fact]
    public void A_deferred_phone_keeps_its_first_sighting_and_goes_out_once_the_call_deadline_passed()
    {
        var since = Now - CallDeadline;
        var still = Place([new QueuedResync(A, ResyncState.Deferred, Now.AddMinutes(-10), Now.AddMinutes(20))], [Target(A, "6001")], states: new() { ["6001"] = "Busy" });
        var anyway = Place([new QueuedResync(A, ResyncState.Deferred, since, Now)], [Target(A, "6001")], states: new() { ["6001"] = "Busy" });

        Assert.Equal([new ResyncPlacement(A, ResyncState.Deferred, Now.AddMinutes(-10), Now.AddMinutes(20))], still.Placements);
        Assert.Empty(still.Orders);
        Assert.Equal([A], anyway.Orders.Select(o => o.Mac));
        Assert.Equal([new CallHeld(A, "Busy", Now, SentAnyway: true)], anyway.Calls);
        Assert.Equal([new ResyncPlacement(A, ResyncState.Pending, since, null)], anyway.Placements);
        Assert.Empty(anyway.Deferred);
    }

    [Fact]
    public void Without_a_call_deadline_a_phone_in_a_call_is_sent_at_once()
    {
        var placing = Place([new QueuedResync(A, ResyncState.Pending)], [Target(A, "6001")], states: new() { ["6001"] = "Ringing" }, callDeferDeadline: TimeSpan.Zero);

        Assert.Equal([A], placing.Orders.Select(o => o.Mac));
        Assert.Empty(placing.Calls);
    }

    [Fact]
    public void A_phone_without_a_live_contact_waits_and_an_unbound_one_goes_back_to_pending()
    {
        var placing = Place(
            [new QueuedResync(A, ResyncState.Pending, Now.AddMinutes(-1)), new QueuedResync(D, ResyncState.WaitingContact), new QueuedResync(C, ResyncState.Deferred, Now, Now)],
            [Target(A, "6009"), Target(D, "6008")]);

        Assert.Empty(placing.Orders);
        Assert.Equal([A, D], placing.Waiting);
        Assert.Equal(
            [new ResyncPlacement(C, ResyncState.Pending, null, null), new ResyncPlacement(A, ResyncState.WaitingContact, Now.AddMinutes(-1), null)],
            placing.Placements);
    }

    [Fact]
    public void Phones_told_at_their_last_contact_go_after_the_others_and_stay_where_they_are()
    {
        var told = new NotifyOrder(C, "6009", ResyncKind.CheckSync, ResyncNotify.Variables(ResyncKind.CheckSync, null), TimeSpan.Zero) { Uri = "sip:6009@10.0.0.9:5060" };

        var placing = Place([new QueuedResync(C, ResyncState.Deferred), new QueuedResync(A, ResyncState.Pending)], [Target(A, "6001")], told: [told]);

        Assert.Equal([(A, TimeSpan.Zero, (string?)null), (C, Interval, "sip:6009@10.0.0.9:5060")], placing.Orders.Select(o => (o.Mac, o.Due, o.Uri)));
        Assert.Empty(placing.Placements);
        Assert.Equal(placing.Orders, placing.Plan.Orders);
    }

    private static ResyncTarget Target(MacAddress mac, string endpoint) => new(mac, PhoneFamily.Sip79x0, [endpoint]);

    private static ResyncPlacing Place(
        IReadOnlyList<QueuedResync> rows,
        IReadOnlyList<ResyncTarget> targets,
        Dictionary<string, string?>? states = null,
        IReadOnlyList<NotifyOrder>? told = null,
        TimeSpan? callDeferDeadline = null) =>
        ResyncPlacementRule.Place(
            rows,
            targets,
            e => Contacts.GetValueOrDefault(e) ?? [],
            e => states?.GetValueOrDefault(e),
            told ?? [],
            Now,
            Interval,
            callDeferDeadline ?? CallDeadline);
}
