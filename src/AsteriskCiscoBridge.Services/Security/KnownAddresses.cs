using System.Net;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Security;

/// <summary><c>Security:AddressPinning</c> (the key keeps its first name): what happens when a bound phone's files are asked from another address than its known one.</summary>
public enum AddressMismatchMode
{
    /// <summary>Known addresses are learned (they exempt known phones from the rate limit) but never refuse.</summary>
    Off = 0,

    /// <summary>Served, with a warning in the journal and in the request log.</summary>
    Alert = 1,

    /// <summary>Refused with an access violation, logged and explained in <c>acb log</c>.</summary>
    Deny = 2,
}

/// <summary>How a request's address compares with its MAC's known address.</summary>
public readonly record struct AddressCheck(bool Mismatch, IPAddress? KnownAt);

/// <summary>
/// Each bound phone's known address (reliability catalogue §5.5 case 20): TFTP has no
/// authentication, so a per-phone file (with its SIP passwords) asked for from somewhere else
/// than where the phone lives is suspect. Learned from the registered contact of the phone's
/// endpoints in each AMI snapshot (which follows the phone when it moves: it re-registers from
/// its new address), else from the first address the bridge served its own files to.
/// In memory; at start <see cref="KnownAddressSeeding"/> restores them from the request log.
/// (<c>Security:AddressPinning</c> and the admin's documentation call this "pinning".)
/// Thread-safe.
/// </summary>
public sealed class KnownAddresses
{
    private readonly Lock _gate = new();
    private readonly Dictionary<MacAddress, IPAddress> _addresses = [];
    private readonly Dictionary<IPAddress, int> _known = [];

    public IPAddress? AddressOf(MacAddress mac)
    {
        lock (_gate)
        {
            return _addresses.GetValueOrDefault(mac);
        }
    }

    /// <summary>True when <paramref name="address"/> is where a bound phone lives.</summary>
    public bool IsKnownAddress(IPAddress address)
    {
        lock (_gate)
        {
            return _known.ContainsKey(address);
        }
    }

    public AddressCheck Check(MacAddress mac, IPAddress client)
    {
        lock (_gate)
        {
            return _addresses.TryGetValue(mac, out var known) && !known.Equals(client) ? new AddressCheck(true, known) : new AddressCheck(false, null);
        }
    }

    /// <summary>Takes <paramref name="address"/> as <paramref name="mac"/>'s unless it has one (a served request is weaker evidence than a contact).</summary>
    public bool LearnIfNew(MacAddress mac, IPAddress address)
    {
        lock (_gate)
        {
            if (_addresses.ContainsKey(mac))
            {
                return false;
            }

            Set(mac, address);
            return true;
        }
    }

    /// <summary>As below, for every phone of the inventory (Asterisk's bindings and the bridge's alike), by its lines in button order.</summary>
    public IReadOnlyList<(MacAddress Mac, IPAddress From, IPAddress To)> Update(PjsipSnapshot snapshot, AsteriskCiscoBridge.Provisioning.Inventory.PhoneInventory inventory) =>
        Update(snapshot, inventory.Phones.Where(p => p.Lines.Length > 0).ToDictionary(
            p => p.Mac,
            p => (IReadOnlyList<BindingRow>)[.. p.Lines.Select((l, i) => new BindingRow { Position = i + 1, Endpoint = l.Endpoint })]));

    /// <summary>
    /// Moves every bound phone to the address of its registered contact (first line with one) and
    /// forgets phones no longer bound. Returns the phones that moved, with their old and new address.
    /// </summary>
    public IReadOnlyList<(MacAddress Mac, IPAddress From, IPAddress To)> Update(PjsipSnapshot snapshot, IReadOnlyDictionary<MacAddress, IReadOnlyList<BindingRow>> bindings)
    {
        var moved = new List<(MacAddress, IPAddress, IPAddress)>();
        lock (_gate)
        {
            foreach (var gone in _addresses.Keys.Where(m => !bindings.ContainsKey(m)).ToList())
            {
                Remove(gone);
            }

            foreach (var (mac, rows) in bindings)
            {
                var contact = rows.OrderBy(r => r.Position)
                    .Select(r => snapshot.Find(r.Endpoint))
                    .SelectMany(e => e?.Contacts ?? [])
                    .Select(c => ContactAddress(c.Uri))
                    .FirstOrDefault(a => a is not null);
                if (contact is null)
                {
                    continue;
                }

                if (_addresses.TryGetValue(mac, out var old) && !old.Equals(contact))
                {
                    moved.Add((mac, old, contact));
                }

                Set(mac, contact);
            }
        }

        return moved;
    }

    /// <summary>The host of a SIP contact URI when it is an IP address (<c>sip:6001@192.0.2.50:5060;transport=udp</c>); null otherwise.</summary>
    public static IPAddress? ContactAddress(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return null;
        }

        var text = uri.AsSpan();
        var colon = text.IndexOf(':');
        if (colon < 0)
        {
            return null;
        }

        text = text[(colon + 1)..];
        var at = text.LastIndexOf('@');
        if (at >= 0)
        {
            text = text[(at + 1)..];
        }

        var end = text.IndexOfAny(';', '?', '>');
        if (end >= 0)
        {
            text = text[..end];
        }

        if (text.StartsWith("["))
        {
            var close = text.IndexOf(']');
            return close > 0 && IPAddress.TryParse(text[1..close], out var v6) ? v6 : null;
        }

        var port = text.IndexOf(':');
        if (port >= 0)
        {
            text = text[..port];
        }

        return IPAddress.TryParse(text, out var v4) ? v4 : null;
    }

    private void Set(MacAddress mac, IPAddress address)
    {
        Remove(mac);
        _addresses[mac] = address;
        _known[address] = _known.GetValueOrDefault(address) + 1;
    }

    private void Remove(MacAddress mac)
    {
        if (_addresses.Remove(mac, out var old) && --_known[old] == 0)
        {
            _known.Remove(old);
        }
    }
}
