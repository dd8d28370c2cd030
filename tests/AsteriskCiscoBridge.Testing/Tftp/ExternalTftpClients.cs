using System.Globalization;
using System.Net;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Testing.Tftp;

/// <summary>The real TFTP clients from Debian that CI installs (curl, atftp, tftp-hpa), driven as a user would.</summary>
public static class ExternalTftpClients
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Names of the client variants the cross-client tests run.</summary>
    public static IReadOnlyList<string> Variants { get; } =
        ["curl", "curl-blksize-1428", "atftp", "atftp-blksize-tsize", "atftp-windowsize", "tftp-hpa"];

    /// <summary>Fetches <paramref name="remoteName"/> with one client variant into <paramref name="localPath"/>.</summary>
    public static Task<ProcessResult> FetchAsync(string variant, IPEndPoint server, string remoteName, string localPath, CancellationToken cancellationToken)
    {
        var host = server.Address.ToString();
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        var url = $"tftp://{(server.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host)}:{port}/{remoteName}";
        return variant switch
        {
            "curl" => Run("curl", ["-s", "-S", "-o", localPath, url], cancellationToken),
            "curl-blksize-1428" => Run("curl", ["-s", "-S", "--tftp-blksize", "1428", "-o", localPath, url], cancellationToken),
            "atftp" => Run("atftp", ["-g", "-r", remoteName, "-l", localPath, host, port], cancellationToken),
            "atftp-blksize-tsize" => Run("atftp", ["--option", "blksize 1428", "--option", "tsize 0", "-g", "-r", remoteName, "-l", localPath, host, port], cancellationToken),
            "atftp-windowsize" => Run("atftp", ["--option", "blksize 1024", "--option", "windowsize 8", "-g", "-r", remoteName, "-l", localPath, host, port], cancellationToken),
            "tftp-hpa" => Run("tftp", ["-m", "binary", host, port, "-c", "get", remoteName, localPath], cancellationToken),
            "tftp-hpa-netascii" => Run("tftp", ["-m", "netascii", host, port, "-c", "get", remoteName, localPath], cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown client"),
        };
    }

    private static Task<ProcessResult> Run(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var path = ProcessRunner.Which(program)
            ?? throw new InvalidOperationException($"'{program}' is not installed; .ci/run installs curl, atftp and tftp-hpa (apt-get install -y curl atftp tftp-hpa)");
        return ProcessRunner.RunAsync(path, arguments, Timeout, cancellationToken);
    }
}
