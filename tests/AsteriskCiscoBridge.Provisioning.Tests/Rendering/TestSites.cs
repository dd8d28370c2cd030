using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

/// <summary>Inputs shared by the renderer tests.</summary>
internal static class TestSites
{
    public static SiteSettings Site { get; } = new()
    {
        AsteriskHost = "pbx.example.net",
        AsteriskPort = 5060,
        NtpServer = "192.0.2.123",
        TimeZone79x0 = "CET",
        TimeZone79x1 = "Central Europe Standard/Daylight Time",
        PhoneLabel = "ACME Ltd",
        PhonePassword = "4321",
        DialPlan = [new DialRule("0..........", 1, "Phone"), new DialRule("\\*..", 0), new DialRule("9,*", 5, null, "%1"), new DialRule("*", 5)],
    };

    /// <summary>Display names with every XML-special character, accents, a non-Latin-1 letter and an emoji, and one too long.</summary>
    public static IReadOnlyList<LineInput> Lines { get; } =
    [
        new("1001", "1001", "s3cr;t #1", "Ann & Bob <Sales> \"Q\" 'x'", "+4930123451"),
        new("1002", "auth-1002", "p@ss\"word".Replace("\"", "'", StringComparison.Ordinal), "Zoë Ñúñez Łukasz", "1002"),
        new("1003", null, "x&y<z>", "Müller-Lüdenscheidt Accounting Department East", null, "Accounts"),
        new("1004", "1004", "", "☎ Reception", null),
        new("1005", "1005", "plain", null, null),
        new("1006", "1006", "'single'", "Six", null, "Sixth line label is long"),
    ];

    public static MacAddress Mac { get; } = MacAddress.Parse("00:11:22:aa:bb:cc").Mac!.Value;

    public static Phone Phone(string model, int lines) =>
        new(Mac, PhoneModels.Find(model)!, Lines.Take(lines).ToArray());

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AsteriskCiscoBridge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AsteriskCiscoBridge.sln not found above " + AppContext.BaseDirectory);
    }
}
