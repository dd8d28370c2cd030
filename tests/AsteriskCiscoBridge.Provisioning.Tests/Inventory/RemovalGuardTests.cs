using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Tests.Inventory;

public sealed class RemovalGuardTests
{
    private static MacAddress Mac(int i) => MacAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"0006D70000{i:X2}")).Mac!.Value;

    private static string Name(int i) => (6000 + i).ToString(CultureInfo.InvariantCulture);

    private static InventoryEndpoint Endpoint(string name, MacDeclaration[]? macs = null, bool provisionable = true) =>
        new(name, provisionable ? new LineInput(name, name, "pw" + name) : null, provisionable ? null : "auth is md5", macs ?? [], [], []);

    // Phone i carries endpoint 6000+i (by acb bind): the bindings both inventories share.
    private static BridgeBinding[] Bindings(int phones) => [.. Enumerable.Range(1, phones).Select(i => new BridgeBinding(Mac(i), Name(i), 1))];

    // Endpoint 7000 (no phone carries it) is in every answer, so none of these answers is empty.
    private static InventoryEndpoint[] Endpoints(IEnumerable<int> present) => [.. present.Select(i => Endpoint(Name(i))), Endpoint("7000")];

    private static RemovalVerdict Check(int phones, IEnumerable<int> before, IEnumerable<int> after, bool emptyAfter = false)
    {
        var applied = Endpoints(before);
        InventoryEndpoint[] candidate = emptyAfter ? [] : Endpoints(after);
        return RemovalGuard.Check(
            PhoneInventory.Build(applied, Bindings(phones), []), applied.Length,
            PhoneInventory.Build(candidate, Bindings(phones), []), candidate.Length);
    }

    private static IEnumerable<int> Except(int phones, params int[] gone) => Enumerable.Range(1, phones).Except(gone);

    [Fact]
    public void Check_one_phone_of_ten_losing_its_line_applies_at_once()
    {
        var verdict = Check(10, Except(10), Except(10, 4));

        Assert.False(verdict.Hold);
        Assert.Equal(10, verdict.BoundPhones);
        var phone = Assert.Single(verdict.Phones);
        Assert.Equal((Mac(4), "6004", 0), (phone.Mac, Assert.Single(phone.Endpoints), phone.Kept));
    }

    [Theory]
    [InlineData(10, 5, false)] // exactly half is not more than half
    [InlineData(10, 6, true)]
    [InlineData(4, 3, true)]
    [InlineData(4, 2, false)]
    [InlineData(3, 3, true)]
    [InlineData(2, 2, false)] // fewer than three phones lose lines: applied, however few phones there are
    [InlineData(5, 2, false)]
    public void Check_holds_when_more_than_half_and_at_least_three_bound_phones_lose_lines(int phones, int losing, bool hold)
    {
        var verdict = Check(phones, Except(phones), Except(phones, [.. Enumerable.Range(1, losing)]));

        Assert.Equal(hold, verdict.Hold);
        Assert.Equal(hold ? RemovalHoldReason.MassWithdrawal : RemovalHoldReason.None, verdict.Reason);
        Assert.Equal(losing, verdict.Phones.Length);
    }

    [Fact]
    public void Check_an_empty_answer_after_one_with_endpoints_is_held_even_with_a_single_phone()
    {
        var verdict = Check(1, Except(1), [], emptyAfter: true);

        Assert.True(verdict.Hold);
        Assert.Equal(RemovalHoldReason.EmptyAnswer, verdict.Reason);
        Assert.Equal(Mac(1), Assert.Single(verdict.Phones).Mac);
        Assert.Equal("Asterisk answered no endpoints at all; applied, it would withdraw lines from 1 of 1 bound phones", verdict.Describe());
    }

    [Fact]
    public void Check_an_empty_answer_after_an_empty_one_applies()
    {
        Assert.False(RemovalGuard.Check(PhoneInventory.Empty, 0, PhoneInventory.Empty, 0).Hold);
    }

    [Fact]
    public void Check_counts_only_bound_phones_and_ignores_endpoints_no_phone_carries()
    {
        // 20 endpoints, 4 of them bound; 16 unbound ones vanish with 3 bound ones: 3 of 4 bound phones lose lines.
        var applied = Enumerable.Range(1, 20).Select(i => Endpoint(Name(i))).ToArray();
        var candidate = applied.Where(e => e.Name == "6004").ToArray();
        var verdict = RemovalGuard.Check(
            PhoneInventory.Build(applied, Bindings(4), []), applied.Length,
            PhoneInventory.Build(candidate, Bindings(4), []), candidate.Length);

        Assert.True(verdict.Hold);
        Assert.Equal(4, verdict.BoundPhones);
        Assert.Equal([Mac(1), Mac(2), Mac(3)], verdict.Phones.Select(p => p.Mac));
        Assert.Equal("Asterisk's answer would withdraw lines from 3 of 4 bound phones", verdict.Describe());
    }

    [Fact]
    public void Check_a_line_that_becomes_unprovisionable_is_withdrawn_and_a_phone_keeping_others_counts_with_what_it_keeps()
    {
        // Phones 1-3 carry two lines each (600i and 610i); 610i all switch to md5: each keeps one line.
        BridgeBinding[] bindings = [.. Enumerable.Range(1, 3).SelectMany(i => new[] { new BridgeBinding(Mac(i), Name(i), 1), new BridgeBinding(Mac(i), Name(100 + i), 2) })];
        var applied = Enumerable.Range(1, 3).SelectMany(i => new[] { Endpoint(Name(i)), Endpoint(Name(100 + i)) }).ToArray();
        var candidate = Enumerable.Range(1, 3).SelectMany(i => new[] { Endpoint(Name(i)), Endpoint(Name(100 + i), provisionable: false) }).ToArray();

        var verdict = RemovalGuard.Check(
            PhoneInventory.Build(applied, bindings, []), applied.Length,
            PhoneInventory.Build(candidate, bindings, []), candidate.Length);

        Assert.True(verdict.Hold);
        Assert.All(verdict.Phones, p => Assert.Equal(1, p.Kept));
        Assert.Equal(["6101", "6102", "6103"], verdict.Phones.Select(p => Assert.Single(p.Endpoints)));
    }

    [Fact]
    public void Check_phones_that_asterisk_declares_are_stripped_when_their_phoneprov_sections_go()
    {
        var applied = Enumerable.Range(1, 4).Select(i => Endpoint(Name(i), [new MacDeclaration(Mac(i), LineSource.Phoneprov, Name(i) + "-phone", null, null, i)])).ToArray();
        var candidate = Enumerable.Range(1, 4).Select(i => Endpoint(Name(i))).ToArray();

        var verdict = RemovalGuard.Check(PhoneInventory.Build(applied, [], []), 4, PhoneInventory.Build(candidate, [], []), 4);

        Assert.True(verdict.Hold);
        Assert.Equal(4, verdict.Phones.Length);
    }

    [Fact]
    public void Check_before_any_snapshot_compares_with_the_lines_recorded_with_the_bindings()
    {
        var recorded = Enumerable.Range(1, 3).Select(i => new BridgeBinding(Mac(i), Name(i), 1, Recorded: new LineInput(Name(i), null, "stored"))).ToArray();

        var verdict = RemovalGuard.Check(PhoneInventory.Build(null, recorded, []), 0, PhoneInventory.Build([], recorded, []), 0);

        Assert.True(verdict.Hold);
        Assert.Equal(RemovalHoldReason.MassWithdrawal, verdict.Reason);
        Assert.Equal(3, verdict.BoundPhones);
    }

    [Fact]
    public void Check_a_restored_answer_withdraws_nothing()
    {
        var verdict = Check(10, Except(10), Except(10));

        Assert.False(verdict.Hold);
        Assert.Empty(verdict.Phones);
    }

    [Fact]
    public void AnswerKey_is_the_same_for_the_same_endpoint_set_in_any_order_and_with_other_passwords()
    {
        var one = new[] { Endpoint("6001"), Endpoint("6002", [new MacDeclaration(Mac(1), LineSource.SetVar, "CISCO_MAC")]) };
        var other = new[] { one[1] with { Line = new LineInput("6002", "6002", "rotated"), UserAgents = ["Cisco-CP7960G/8.0"] }, one[0] };

        Assert.Equal(RemovalGuard.AnswerKey(one), RemovalGuard.AnswerKey(other));
        Assert.Equal(64, RemovalGuard.AnswerKey(one).Length);
    }

    [Fact]
    public void AnswerKey_differs_when_an_endpoint_goes_stops_giving_a_line_or_loses_its_mac()
    {
        var one = new[] { Endpoint("6001"), Endpoint("6002", [new MacDeclaration(Mac(1), LineSource.SetVar, "CISCO_MAC")]) };
        var key = RemovalGuard.AnswerKey(one);

        Assert.NotEqual(key, RemovalGuard.AnswerKey([one[0]]));
        Assert.NotEqual(key, RemovalGuard.AnswerKey([one[0], Endpoint("6002", [new MacDeclaration(Mac(1), LineSource.SetVar, "CISCO_MAC")], provisionable: false)]));
        Assert.NotEqual(key, RemovalGuard.AnswerKey([one[0], Endpoint("6002")]));
        Assert.NotEqual(RemovalGuard.AnswerKey([]), key);
    }
}
