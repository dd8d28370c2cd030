namespace AsteriskCiscoBridge.Services.Http;

/// <summary>The <c>Http</c> configuration section: the phones' HTTP file service (6970).</summary>
internal sealed class HttpOptions
{
    public const string DefaultListen = "0.0.0.0:6970";

    /// <summary>Addresses to listen on, <c>ADDR:PORT</c>, one (<c>ACB_Http__Listen=…</c>) or a list (<c>ACB_Http__Listen__0=…</c>). Default <c>0.0.0.0:6970</c>.</summary>
    public List<string> Listen { get; set; } = [];
}
