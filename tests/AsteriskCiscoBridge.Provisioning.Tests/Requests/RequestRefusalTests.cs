using AsteriskCiscoBridge.Provisioning.Requests;

namespace AsteriskCiscoBridge.Provisioning.Tests.Requests;

public sealed class RequestRefusalTests
{
    [Theory]
    [InlineData(RequestOutcomeKind.Malformed, null, RefusalKind.Malformed)]
    [InlineData(RequestOutcomeKind.OptionRefused, null, RefusalKind.Malformed)]
    [InlineData(RequestOutcomeKind.Busy, null, RefusalKind.Busy)]
    [InlineData(RequestOutcomeKind.Denied, null, RefusalKind.Denied)]
    [InlineData(RequestOutcomeKind.Denied, RequestSources.Guard, RefusalKind.Guarded)]
    [InlineData(RequestOutcomeKind.Denied, RequestSources.RateLimit, RefusalKind.Guarded)]
    [InlineData(RequestOutcomeKind.Denied, RequestSources.AddressDenied, null)]
    [InlineData(RequestOutcomeKind.Served, RequestSources.AddressAlert, null)]
    [InlineData(RequestOutcomeKind.NotFound, null, null)]
    [InlineData(RequestOutcomeKind.Failed, "disk:/srv/fw", null)]
    [InlineData(RequestOutcomeKind.Head, RequestSources.Store, null)]
    [InlineData(RequestOutcomeKind.Other, null, null)]
    public void Only_refusals_anyone_can_send_without_limit_are_counted(RequestOutcomeKind kind, string? source, RefusalKind? counted)
    {
        Assert.Equal(counted, RequestRefusal.KindOf(new RequestOutcome(kind, "detail"), source));
    }
}
