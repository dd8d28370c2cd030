using AsteriskCiscoBridge.Host.Files;
using AsteriskCiscoBridge.Host.Storage;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Provisioning;

/// <summary>
/// A phone whose model nothing names is offered both families' own files; the one it fetches tells its
/// family (<c>SIP&lt;MAC&gt;.cnf</c>: a 7940/7960, <c>SEP&lt;MAC&gt;.cnf.xml</c>: a 79x1). The family is stored
/// (<c>model_source = 'files'</c>) and the phone rendered again for it alone, so the other family's
/// file is withdrawn and its resync follows the family. Its own file's bytes do not change: nothing
/// is sent to it. Fed by <see cref="RequestRecorder"/>, one request at a time.
/// </summary>
internal sealed partial class FamilyLearning(PhoneStore phones, StoredPhoneRenderer renderer, StoredFileTree tree, TimeProvider time, ILogger<FamilyLearning> logger)
{
    public async Task ObserveAsync(FileRequest request, MacAddress? mac, CancellationToken cancellationToken)
    {
        if (mac is not { } phoneMac || !request.Served || PhoneInventory.FamilyOfFileName(request.FileName) is not { } family)
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

            Learned(logger, phoneMac, model.Name, request.FileName);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Learning is a side line of the request log: the next round renders the phone anyway.
            LearningFailed(logger, request.FileName, e);
        }
    }

    [LoggerMessage(3110, LogLevel.Information, "Phone {Mac} asked for {FileName}: it is a {Family}; the other family's file is withdrawn")]
    private static partial void Learned(ILogger logger, MacAddress mac, string family, string fileName);

    [LoggerMessage(3111, LogLevel.Warning, "Learning a phone's family from its request for {FileName} failed")]
    private static partial void LearningFailed(ILogger logger, string fileName, Exception exception);
}
