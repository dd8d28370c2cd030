using System.Net;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Tftp.Protocol;
using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

public sealed class TftpAdmissionTests
{
    private static readonly IPAddress Phone = IPAddress.Parse("192.0.2.10");
    private static readonly TftpAdmissionLoad Idle = new(false, 0, 0);
    private static readonly TftpServerOptions Options = new();

    [Fact]
    public void Decide_admits_a_read_request_with_its_path()
    {
        var admission = TftpAdmission.Decide(TftpTestClient.ReadRequest("Desktops/320x212x12/List.xml"), Phone, Idle, Options);

        Assert.True(admission.IsAdmitted);
        Assert.True(admission.CountsAsRequest);
        Assert.Equal("Desktops/320x212x12/List.xml", admission.Path);
        Assert.Equal("Desktops/320x212x12/List.xml", admission.Request!.FileName);
        Assert.Null(admission.ReplyCode);
        Assert.Null(admission.Outcome);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0, 5, 0, 1, (byte)'x', 0 })]
    public void Decide_gives_no_answer_and_no_event_to_what_is_not_a_request(byte[] packet)
    {
        var admission = TftpAdmission.Decide(packet, Phone, Idle, Options);

        Assert.Equal(TftpAdmissionReason.NotARequest, admission.Reason);
        Assert.False(admission.CountsAsRequest);
        Assert.Null(admission.ReplyCode);
        Assert.Null(admission.Outcome);
    }

    [Fact]
    public void Decide_answers_an_ack_on_the_request_port_with_error_4_but_reports_no_request()
    {
        var admission = TftpAdmission.Decide([0, 4, 0, 1], Phone, Idle, Options);

        Assert.Equal(TftpAdmissionReason.WrongOpcode, admission.Reason);
        Assert.False(admission.CountsAsRequest);
        Assert.Equal(TftpErrorCode.IllegalOperation, admission.ReplyCode);
        Assert.Null(admission.Outcome);
        Assert.Equal("opcode 4 on the request port", admission.Detail);
    }

    [Fact]
    public void Decide_reports_an_unparsable_request_as_malformed_with_its_position()
    {
        var admission = TftpAdmission.Decide([0, 1, (byte)'a', (byte)'b'], Phone, Idle, Options);

        Assert.Equal(TftpAdmissionReason.Malformed, admission.Reason);
        Assert.True(admission.CountsAsRequest);
        Assert.Equal(TftpRequestOutcome.Malformed, admission.Outcome);
        Assert.NotNull(admission.ReplyCode);
        Assert.Contains(" at byte ", admission.Detail, StringComparison.Ordinal);
        Assert.Null(admission.Request);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_denies_a_client_outside_the_allowed_networks_answering_only_when_configured(bool answer)
    {
        var options = new TftpServerOptions { AllowedNetworks = [IPNetwork.Parse("10.0.0.0/8")], AnswerDeniedClients = answer };

        var admission = TftpAdmission.Decide(TftpTestClient.ReadRequest("a"), Phone, Idle, options);

        Assert.Equal(TftpAdmissionReason.ClientNotAllowed, admission.Reason);
        Assert.Equal(TftpRequestOutcome.Denied, admission.Outcome);
        Assert.Equal(answer ? TftpErrorCode.AccessViolation : null, admission.ReplyCode);
        Assert.Equal("a", admission.Request!.FileName);
    }

    [Fact]
    public void Decide_allows_an_ipv4_client_seen_through_a_mapped_ipv6_address()
    {
        var options = new TftpServerOptions { AllowedNetworks = [IPNetwork.Parse("192.0.2.0/24")] };

        var admission = TftpAdmission.Decide(TftpTestClient.ReadRequest("a"), Phone.MapToIPv6(), Idle, options);

        Assert.True(admission.IsAdmitted);
    }

    [Fact]
    public void Decide_denies_a_write_request()
    {
        var packet = TftpTestClient.ReadRequest("a");
        packet[1] = 2;

        var admission = TftpAdmission.Decide(packet, Phone, Idle, Options);

        Assert.Equal(TftpAdmissionReason.WriteRequest, admission.Reason);
        Assert.Equal((TftpErrorCode?)TftpErrorCode.AccessViolation, admission.ReplyCode);
        Assert.Equal(TftpRequestOutcome.Denied, admission.Outcome);
    }

    [Fact]
    public void Decide_ignores_a_repeated_request_of_a_running_transfer_silently()
    {
        var admission = TftpAdmission.Decide(TftpTestClient.ReadRequest("a"), Phone, new TftpAdmissionLoad(true, 1, 1), Options);

        Assert.Equal(TftpAdmissionReason.Duplicate, admission.Reason);
        Assert.True(admission.CountsAsRequest);
        Assert.Null(admission.ReplyCode);
        Assert.Null(admission.Outcome);
    }

    [Fact]
    public void Decide_refuses_as_busy_at_the_transfer_limit()
    {
        var options = new TftpServerOptions { MaxTransfers = 3 };

        var admission = TftpAdmission.Decide(TftpTestClient.ReadRequest("a"), Phone, new TftpAdmissionLoad(false, 3, 0), options);

        Assert.Equal(TftpAdmissionReason.TooManyTransfers, admission.Reason);
        Assert.Equal(TftpRequestOutcome.Busy, admission.Outcome);
        Assert.Equal("3 transfers already running", admission.Detail);
    }

    [Fact]
    public void Decide_refuses_as_busy_at_the_per_address_limit()
    {
        var options = new TftpServerOptions { MaxTransfersPerClient = 2 };

        var admission = TftpAdmission.Decide(TftpTestClient.ReadRequest("a"), Phone, new TftpAdmissionLoad(false, 2, 2), options);

        Assert.Equal(TftpAdmissionReason.TooManyFromAddress, admission.Reason);
        Assert.Equal(TftpRequestOutcome.Busy, admission.Outcome);
        Assert.Equal("2 transfers already running for this address", admission.Detail);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    public void Decide_denies_a_name_that_leaves_the_root(string name)
    {
        var admission = TftpAdmission.Decide(TftpTestClient.ReadRequest(name), Phone, Idle, Options);

        Assert.Equal(TftpAdmissionReason.NameRefused, admission.Reason);
        Assert.Equal(TftpRequestOutcome.Denied, admission.Outcome);
        Assert.StartsWith("name refused: ", admission.Detail, StringComparison.Ordinal);
        Assert.Null(admission.Path);
    }

    [Fact]
    public void Decide_checks_the_allowed_networks_before_the_limits()
    {
        var options = new TftpServerOptions { AllowedNetworks = [IPNetwork.Parse("10.0.0.0/8")], MaxTransfers = 1 };

        var admission = TftpAdmission.Decide(TftpTestClient.ReadRequest("a"), Phone, new TftpAdmissionLoad(true, 5, 5), options);

        Assert.Equal(TftpAdmissionReason.ClientNotAllowed, admission.Reason);
    }
}
