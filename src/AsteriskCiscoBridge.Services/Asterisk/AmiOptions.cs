using System.ComponentModel.DataAnnotations;
using AsteriskCiscoBridge.Ami;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AsteriskCiscoBridge.Services.Asterisk;

/// <summary>The <c>Ami</c> configuration section (DESIGN.md: <c>ACB_Ami__Host</c>, <c>ACB_Ami__Port</c>, …).</summary>
internal sealed class AmiOptions : IValidatableObject
{
    /// <summary>Asterisk host. Default <c>127.0.0.1</c>.</summary>
    [Required(ErrorMessage = "must be set (the Asterisk host, e.g. 127.0.0.1)")]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>AMI port. Default 5038.</summary>
    [Range(1, 65535, ErrorMessage = "must be 1–65535")]
    public int Port { get; set; } = 5038;

    /// <summary>manager.conf user (see asterisk-conf/manager.conf). Without it and <see cref="Secret"/>, AMI is not configured: the service serves what its store holds.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>manager.conf secret. Never printed or logged.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>False when neither <see cref="Username"/> nor <see cref="Secret"/> is set: the bridge runs without Asterisk.</summary>
    public bool IsConfigured() => !string.IsNullOrEmpty(Username) || !string.IsNullOrEmpty(Secret);

    /// <summary>Connect with TLS (manager.conf <c>tlsenable</c>, usually port 5039). Default false.</summary>
    public bool UseTls { get; set; }

    /// <summary><c>Md5</c> (challenge, default) or <c>Plain</c>.</summary>
    public AmiAuthType AuthType { get; set; } = AmiAuthType.Md5;

    /// <summary>Binds and checks the section; returns null and a one-line reason when it is unusable.</summary>
    public static AmiOptions? Bind(IConfiguration configuration, out string? problem)
    {
        var options = configuration.GetSection("Ami").Get<AmiOptions>() ?? new AmiOptions();
        if (!options.IsConfigured())
        {
            problem = "Ami:Username and Ami:Secret are not set (e.g. ACB_Ami__Username / ACB_Ami__Secret)";
            return null;
        }

        if (new AmiOptionsValidator().Validate("Ami", options) is { Failed: true } result)
        {
            problem = "invalid Ami configuration: " + string.Join("; ", result.Failures ?? []);
            return null;
        }

        problem = null;
        return options;
    }

    /// <summary>A user without a secret, or a secret without a user, is half a configuration: refused rather than read as none.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Secret))
        {
            yield return new ValidationResult("is not set, but Ami:Secret is", [nameof(Username)]);
        }

        if (!string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(Secret))
        {
            yield return new ValidationResult("is not set, but Ami:Username is", [nameof(Secret)]);
        }
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

/// <summary>Checks the <c>Ami</c> section: its annotations and the half-set user and secret (generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class AmiOptionsValidator : IValidateOptions<AmiOptions>;
