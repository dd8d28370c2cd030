using System.ComponentModel.DataAnnotations;
using AsteriskCiscoBridge.Ami;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Asterisk;

/// <summary>The <c>Ami</c> configuration section (DESIGN.md: <c>ACB_Ami__Host</c>, <c>ACB_Ami__Port</c>, …).</summary>
internal sealed class AmiOptions
{
    /// <summary>Asterisk host. Default <c>127.0.0.1</c>.</summary>
    [Required]
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>AMI port. Default 5038.</summary>
    [Range(1, 65535)]
    public int Port { get; init; } = 5038;

    /// <summary>manager.conf user (see asterisk-conf/manager.conf).</summary>
    [Required]
    public string Username { get; init; } = string.Empty;

    /// <summary>manager.conf secret. Never printed or logged.</summary>
    [Required]
    public string Secret { get; init; } = string.Empty;

    /// <summary>Connect with TLS (manager.conf <c>tlsenable</c>, usually port 5039). Default false.</summary>
    public bool UseTls { get; init; }

    /// <summary><c>Md5</c> (challenge, default) or <c>Plain</c>.</summary>
    public AmiAuthType AuthType { get; init; } = AmiAuthType.Md5;

    /// <summary>Binds and checks the section; returns null and a one-line reason when it is unusable.</summary>
    public static AmiOptions? Bind(IConfiguration configuration, out string? problem)
    {
        var options = configuration.GetSection("Ami").Get<AmiOptions>() ?? new AmiOptions();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            problem = "invalid Ami configuration: " + string.Join("; ", results.Select(r => r.ErrorMessage)) + " (set Ami:Username and Ami:Secret, e.g. ACB_Ami__Username / ACB_Ami__Secret)";
            return null;
        }

        problem = null;
        return options;
    }

    public AmiConnectionOptions ToConnectionOptions(bool longLived = false)
    {
        // A one-shot verb wants neither events nor keepalive; the service wants both.
        var defaults = new AmiConnectionOptions();
        return new()
        {
            Host = Host,
            Port = Port,
            Username = Username,
            Secret = Secret,
            UseTls = UseTls,
            AuthType = AuthType,
            ReceiveEvents = longLived,
            PingInterval = longLived ? defaults.PingInterval : TimeSpan.Zero,
        };
    }
}
