using System.Net;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>
/// A phone whose model nothing names is offered both families' own files; the one it fetches tells its
/// family (<c>SIP&lt;MAC&gt;.cnf</c>: a 7940/7960, <c>SEP&lt;MAC&gt;.cnf.xml</c>: a 79x1 or a later series), and so
/// does a trust list it asks for first (<c>ITLSEP&lt;MAC&gt;.tlv</c>, <c>CTLSEP&lt;MAC&gt;.tlv</c>, spec beyond-79xx A1). The family is stored
/// (<c>model_source = 'files'</c>) and the phone rendered again for it alone, so the other family's
/// file is withdrawn and its resync follows the family. Its own file's bytes do not change: nothing
/// is sent to it. Fed by <see cref="RequestRecorder"/>, one request at a time.
/// </summary>
/// <remarks>
/// A 7940/7960 asks for <c>OS79XX.TXT</c> first on every boot, and on SIP 7.x+ loads for
/// <c>CTLSEP&lt;MAC&gt;.tlv</c> and <c>SEP&lt;MAC&gt;.cnf.xml</c> before its <c>SIP&lt;MAC&gt;.cnf</c> (spec §1.2);
/// a 79x1 never asks for <c>OS79XX.TXT</c> (§1.5). So a <c>SEP&lt;MAC&gt;.cnf.xml</c> from an address that
/// asked for <c>OS79XX.TXT</c> within <see cref="BootWindow"/> tells nothing (its <c>SIP&lt;MAC&gt;.cnf</c>
/// will): learning it as a 79x1 would withdraw the very file the 7940/7960 asks for next.
/// </remarks>
internal sealed class FamilyLearning(PhoneStore phones, StoredPhoneRenderer renderer, StoredFileTree tree, TimeProvider time, ILogger<FamilyLearning> logger)
{
    /// <summary>How long after an address asked for OS79XX.TXT its SEP&lt;MAC&gt;.cnf.xml requests teach nothing.</summary>
    public static readonly TimeSpan BootWindow = TimeSpan.FromMinutes(2);

    // Addresses that asked for OS79XX.TXT, with when; pruned past the window, and bounded (a flood of
    // addresses forgets the oldest, which only makes learning wait for the phone's own file).
    private const int MaxBootingAddresses = 4096;
    private readonly Dictionary<IPAddress, DateTimeOffset> _booting = [];
    private readonly Lock _gate = new();

    public async Task ObserveAsync(FileRequest request, MacAddress? mac, CancellationToken cancellationToken)
    {
        if (string.Equals(Path.GetFileName(request.FileName), "OS79XX.TXT", StringComparison.OrdinalIgnoreCase))
        {
            RememberBoot(request.Client.Address, request.At);
            return;
        }

        if (mac is not { } phoneMac || FamilyOf(request) is not { } family)
        {
            return;
        }

        if (family == PhoneFamily.Sip79x1 && IsBooting79x0(request.Client.Address, request.At))
        {
            return;
        }

        try
        {
            if (await phones.GetAsync(phoneMac, cancellationToken) is not { Model.Length: 0 })
            {
                return;
            }

            var model = PhoneFamilies.Representative(family);
            var now = time.GetUtcNow();
            if (!await phones.SetLearnedModelAsync(phoneMac, model.Name, ModelSourceText.Of(ModelSource.Files)!, now, cancellationToken))
            {
                return;
            }

            var render = await renderer.RerenderAsync(phoneMac, cancellationToken);
            if (render.Result is not null && (await renderer.SaveAsync(phoneMac, render, now, cancellationToken)).Outcome == SaveOutcome.Updated)
            {
                await tree.ReloadAsync(cancellationToken);
            }

            Log.FamilyLearned(logger, phoneMac, model.Name, request.FileName);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Learning is a side line of the request log: the next round renders the phone anyway.
            Log.FamilyLearningFailed(logger, request.FileName, e);
        }
    }

    /// <summary>
    /// The family a request shows: a phone's own file served, or a trust list or signed config asked for (answered
    /// "not found"), which only the phones that read SEP&lt;MAC&gt;.cnf.xml ask for, a 7940/7960 on SIP 7.x+ aside (its
    /// CTLSEP request follows OS79XX.TXT, so the boot window covers it).
    /// </summary>
    private static PhoneFamily? FamilyOf(FileRequest request) =>
        request.Served ? PhoneInventory.FamilyOfFileName(request.FileName)
        : TrustFiles.KindOf(request.FileName) is TrustFileKind.PhoneCtl or TrustFileKind.PhoneItl or TrustFileKind.SignedConfig ? PhoneFamily.Sip79x1
        : null;

    private void RememberBoot(IPAddress address, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_booting.Count >= MaxBootingAddresses)
            {
                foreach (var old in _booting.Where(b => at - b.Value > BootWindow).Select(b => b.Key).ToList())
                {
                    _booting.Remove(old);
                }

                if (_booting.Count >= MaxBootingAddresses)
                {
                    _booting.Remove(_booting.MinBy(b => b.Value).Key);
                }
            }

            _booting[address] = at;
        }
    }

    private bool IsBooting79x0(IPAddress address, DateTimeOffset at)
    {
        lock (_gate)
        {
            return _booting.TryGetValue(address, out var asked) && at - asked <= BootWindow && at >= asked;
        }
    }
}
