using System.Net.Security;

namespace AsteriskCiscoBridge.Ami;

/// <summary>How to log in.</summary>
public enum AmiAuthType
{
    /// <summary><c>Challenge</c> then <c>Login</c> with <c>Key: md5hex(challenge + secret)</c>: the secret never crosses the wire.</summary>
    Md5 = 0,

    /// <summary><c>Login</c> with <c>Secret:</c> in clear (use with TLS, or on loopback).</summary>
    Plain = 1,
}

/// <summary>Settings of one AMI connection.</summary>
public sealed class AmiConnectionOptions
{
    /// <summary>Asterisk host name or address. Default <c>127.0.0.1</c>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>AMI port. Default 5038 (5039 is the usual TLS port).</summary>
    public int Port { get; init; } = 5038;

    /// <summary>Wrap the TCP stream in TLS. Default false.</summary>
    public bool UseTls { get; init; }

    /// <summary>Name checked against the server certificate; default <see cref="Host"/>.</summary>
    public string? TlsTargetHost { get; init; }

    /// <summary>Custom certificate check (for a private CA); null uses the system trust store.</summary>
    public RemoteCertificateValidationCallback? TlsCertificateValidation { get; init; }

    /// <summary>manager.conf user name.</summary>
    public string Username { get; init; } = string.Empty;

    /// <summary>manager.conf secret. Never logged.</summary>
    public string Secret { get; init; } = string.Empty;

    /// <summary>Login method. Default <see cref="AmiAuthType.Md5"/>.</summary>
    public AmiAuthType AuthType { get; init; } = AmiAuthType.Md5;

    /// <summary>Ask for unsolicited events (<c>Events: on</c>). Default true; with false Asterisk sends none, not even FullyBooted.</summary>
    public bool ReceiveEvents { get; init; } = true;

    /// <summary>Time allowed for TCP (and TLS) connect plus the banner. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle time after which a <c>Ping</c> is sent. Default 20 s; <see cref="TimeSpan.Zero"/> turns keepalive off.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A Ping unanswered for this long means the peer is dead and the connection is closed. Default 10 s.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Unsolicited events buffered for a slow consumer. Default 10,000. When full, the oldest
    /// event is dropped and counted (the consumer is told, so it can take a full snapshot
    /// instead of trusting an incomplete event stream); the reader loop never blocks on a consumer.
    /// </summary>
    public int EventBufferCapacity { get; init; } = 10_000;

    /// <summary>Parser limits.</summary>
    public AmiFrameLimits FrameLimits { get; init; } = AmiFrameLimits.Default;

    /// <summary>Prefix of the ActionIDs this connection generates.</summary>
    public string ActionIdPrefix { get; init; } = "acb";
}
