using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests;

public sealed class AmiConnectionTlsTests
{
    [Fact]
    public async Task ConnectAsync_tls_reads_the_banner_logs_in_and_reads_a_list()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificate = SelfSigned();
        await using var server = AmiTestServer.Start(tlsCertificate: certificate);
        var options = new AmiConnectionOptions
        {
            Port = server.Port,
            Username = "bridge",
            Secret = "bridgepw",
            UseTls = true,
            TlsTargetHost = "localhost",
            TlsCertificateValidation = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString(),
            PingInterval = TimeSpan.Zero,
        };

        await using var connection = await AmiConnection.ConnectAsync(options, TimeProvider.System, null, ct);
        await connection.LoginAsync(ct);
        var auths = await connection.SendAsync(new AmiAction("PJSIPShowAuths"), ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal("Asterisk Call Manager/11.0.0", connection.Banner);
        Assert.Equal(5, auths.Events.Count);
    }

    [Fact]
    public async Task ConnectAsync_tls_with_an_untrusted_certificate_is_a_connection_error()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificate = SelfSigned();
        await using var server = AmiTestServer.Start(tlsCertificate: certificate);
        var options = new AmiConnectionOptions { Port = server.Port, UseTls = true, TlsTargetHost = "localhost", PingInterval = TimeSpan.Zero };

        var ex = await Assert.ThrowsAsync<AmiConnectionLostException>(() => AmiConnection.ConnectAsync(options, TimeProvider.System, null, ct));
        Assert.Contains("cannot connect", ex.Message, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
