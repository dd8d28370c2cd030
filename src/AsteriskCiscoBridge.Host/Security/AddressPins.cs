using System.Net;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Security;

/// <summary><c>Security:AddressPinning</c>: what happens when a pinned phone's files are asked from another address.</summary>
public enum AddressPinningMode
{
    /// <summary>Pins are learned (they exempt known phones from the rate limit) but never refuse.</summary>
    Off = 0,

    /// <summary>Served, with a warning in the journal and in the request log.</summary>
    Alert = 1,

    /// <summary>Refused with an access violation, logged and explained in <c>acb log</c>.</summary>
    Deny = 2,
}

/// <summary>How a request compares with its MAC's pin.</summary>
public readonly record struct PinCheck(bool Mismatch, IPAddress? PinnedTo);

/// <summary>
/// Each bound phone's known address (reliability catalogue §5.5 case 20): TFTP has no
/// authentication, so a per-phone file (with its SIP passwords) asked for from somewhere else
/// than where the phone lives is suspect. Learned from the registered contact of the phone's
/// endpoints in each AMI snapshot (which follows the phone when it moves: it re-registers from
/// its new address), else from the first address the bridge served its own files to.
/// In memory; at start <see cref="AddressPinSeeding"/> restores them from the request log.
/// Thread-safe.
/// </summary>
public sealed class AddressPins
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IPAddress> _pins = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, int> _known = [];

    public IPAddress? PinOf(string mac)
    {
        lock (_gate)
        {
            return _pins.GetValueOrDefault(mac);
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

    public PinCheck Check(string mac, IPAddress client)
    {
        lock (_gate)
        {
            return _pins.TryGetValue(mac, out var pinned) && !pinned.Equals(client) ? new PinCheck(true, pinned) : new PinCheck(false, null);
        }
    }

    /// <summary>Pins <paramref name="mac"/> to <paramref name="address"/> unless it has a pin (a served request is weaker evidence than a contact).</summary>
    public bool PinIfNew(string mac, IPAddress address)
    {
        lock (_gate)
        {
            if (_pins.ContainsKey(mac))
            {
                return false;
            }

            Set(mac, address);
            return true;
        }
    }

    /// <summary>
    /// Re-pins every bound phone to the address of its registered contact (first line with one) and
    /// forgets pins of phones no longer bound. Returns the phones that moved, with their old and new address.
    /// </summary>
    /// <summary>As below, for every phone of the inventory (Asterisk's bindings and the bridge's alike), by its lines in button order.</summary>
    public IReadOnlyList<(string Mac, IPAddress From, IPAddress To)> Update(PjsipSnapshot snapshot, AsteriskCiscoBridge.Provisioning.Inventory.PhoneInventory inventory) =>
        Update(snapshot, inventory.Phones.Where(p => p.Lines.Length > 0).ToDictionary(
            p => p.Mac,
            p => (IReadOnlyList<BindingRow>)[.. p.Lines.Select((l, i) => new BindingRow { Position = i + 1, Endpoint = l.Endpoint })]));

    public IReadOnlyList<(string Mac, IPAddress From, IPAddress To)> Update(PjsipSnapshot snapshot, IReadOnlyDictionary<MacAddress, IReadOnlyList<BindingRow>> bindings)
    {
        var moved = new List<(string, IPAddress, IPAddress)>();
        lock (_gate)
        {
            foreach (var gone in _pins.Keys.Where(m => !MacAddress.TryParse(m, out var mac) || !bindings.ContainsKey(mac.Value)).ToList())
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

                if (_pins.TryGetValue(mac.Value, out var old) && !old.Equals(contact))
                {
                    moved.Add((mac.Value, old, contact));
                }

                Set(mac.Value, contact);
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

    private void Set(string mac, IPAddress address)
    {
        Remove(mac);
        _pins[mac] = address;
        _known[address] = _known.GetValueOrDefault(address) + 1;
    }

    private void Remove(string mac)
    {
        if (_pins.Remove(mac, out var old) && --_known[old] == 0)
        {
            _known.Remove(old);
        }
    }
}
