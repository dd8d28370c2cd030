using System.Net;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Http;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Services.Phonebook;

/// <summary>The <c>Directory</c> configuration section: the phone directory read from Asterisk, served on the HTTP listener (6970).</summary>
internal sealed class DirectoryOptions
{
    /// <summary>The path of the directory on the HTTP listener.</summary>
    public const string Path = "/directory";

    /// <summary>
    /// Serve the directory and point every phone's Directories key at it (<c>directoryURL</c> in SEP&lt;MAC&gt;.cnf.xml,
    /// <c>directory_url</c> in SIP&lt;MAC&gt;.cnf). Default true; false serves none and writes neither.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The title the phone shows above the directory. Default <c>Directory</c>.</summary>
    public string Title { get; set; } = "Directory";

    /// <summary>
    /// The URL written into the phones' files, when they reach the bridge through another name or port (a proxy).
    /// Unset: <c>http://ADDRESS:PORT/directory</c> from the first <c>Http:Listen</c> address, a wildcard meaning the
    /// address each phone's request reached this machine at.
    /// </summary>
    public string? Url { get; set; }

    public static DirectoryOptions Read(IConfiguration configuration) =>
        configuration.GetSection("Directory").Get<DirectoryOptions>() ?? new DirectoryOptions();

    /// <summary>The URL the phones' files name, or null when the directory is off.</summary>
    public static string? UrlFor(IConfiguration configuration)
    {
        var options = Read(configuration);
        if (!options.Enabled)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            return options.Url.Trim();
        }

        var listen = ListenAddresses.TryRead(configuration, "Http:Listen", [HttpOptions.DefaultListen], HttpOptions.DefaultListen, out var endPoints, out _) && endPoints.Count > 0
            ? endPoints[0]
            : IPEndPoint.Parse(HttpOptions.DefaultListen);
        var host = listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any) || listen.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            ? SipServer.RequestLocalHost
            : listen.Address.ToString();
        return $"http://{host}:{listen.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}{Path}";
    }
}
