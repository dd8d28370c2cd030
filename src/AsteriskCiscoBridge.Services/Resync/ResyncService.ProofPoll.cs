using System.Threading.Channels;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Resync;

/// <summary>The look at the contacts while phones await their registration proof.</summary>
internal sealed partial class ResyncService
{
    // Wakes the poll when a phone starts awaiting its registration (its fetch).
    private readonly Channel<bool> _proofWake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private int _proofPolls;

    /// <summary>Contacts reads asked for by <see cref="PollForProofAsync"/> since start.</summary>
    public int ProofPolls => Volatile.Read(ref _proofPolls);

    /// <summary>
    /// While a phone awaits its registration proof (it fetched its files), asks for a contacts-only read
    /// through <paramref name="requestContacts"/> every <see cref="ResyncOptions.ProofPollInterval"/>,
    /// whose answer comes back through <see cref="OnContactsAsync"/>. A phone that re-registers from the
    /// same contact URI makes Asterisk refresh the stored contact (a new expiration_time, the old Call-ID)
    /// and raise no <c>ContactStatus</c> (res_pjsip_registrar.c, seen on Asterisk 22.10.1): without this
    /// look it would be seen only at its deadline. Nothing is read while no phone awaits.
    /// </summary>
    public async Task PollForProofAsync(Action<string> requestContacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestContacts);
        if (!options.Enabled || options.ProofPollInterval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (true)
            {
                // Rows recovered from the store count too: the first look needs no wake.
                if (!await AwaitingRegistrationAsync(cancellationToken))
                {
                    await _proofWake.Reader.ReadAsync(cancellationToken);
                    continue;
                }

                await Task.Delay(options.ProofPollInterval, time, cancellationToken);
                if (await AwaitingRegistrationAsync(cancellationToken))
                {
                    Interlocked.Increment(ref _proofPolls);
                    Log.ContactsPolled(logger);
                    requestContacts("phones await their registration");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> AwaitingRegistrationAsync(CancellationToken cancellationToken) =>
        (await queue.FetchedRowsAsync(cancellationToken)).Any(r => r.State == ResyncState.AwaitingRegistration);
}
