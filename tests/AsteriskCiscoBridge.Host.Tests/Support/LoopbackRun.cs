namespace AsteriskCiscoBridge.Host.Tests.Support;

/// <summary>The settings of an <c>acb run</c> built in a test: every listener on a free loopback port, the store and firmware where the test says.</summary>
internal static class LoopbackRun
{
    public static Dictionary<string, string?> Settings(string firmwareDirectory, string database) => new()
    {
        ["Tftp:Listen:0"] = "127.0.0.1:0",
        ["Http:Listen:0"] = "127.0.0.1:0",
        ["Dashboard:Listen"] = "127.0.0.1:0",
        ["Firmware:Directory"] = firmwareDirectory,
        ["Storage:Database"] = database,
    };
}
