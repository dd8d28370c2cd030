using Microsoft.Playwright;

namespace AsteriskCiscoBridge.Scenarios.Tests.Dashboard;

/// <summary>
/// The dashboard in Debian's headless Chromium, driven by Playwright: the page lists the phone from
/// the real store, and its Resync button makes the service send a PJSIPNotify to the AMI test
/// server. Playwright's driver (node) comes in its NuGet package and launches /usr/bin/chromium:
/// nothing is downloaded, nothing leaves the machine. Screenshots go to screenshots/ in the test
/// output folder.
/// </summary>
public sealed class DashboardBrowserTests
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Screenshot(string name) => Path.Combine(AppContext.BaseDirectory, "screenshots", name);

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Timeout = (float)Bound.TotalMilliseconds,
            // Root in CI: no sandbox; /dev/shm is small in containers; and none of the calls home Chromium makes at start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

    [Fact]
    public async Task The_page_lists_the_bound_phone_and_its_resync_button_sends_a_pjsipnotify()
    {
        await using var service = await DashboardServiceTests.StartAsync(Ct);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout((float)Bound.TotalMilliseconds);
        var row = page.Locator("#phones tr[data-mac='0011223344AA']");

        await page.GotoAsync(DashboardServiceTests.DashboardUri(service).ToString());

        await Assertions.Expect(row).ToContainTextAsync("0011223344AA");
        await Assertions.Expect(row).ToContainTextAsync("7960");
        await Assertions.Expect(row).ToContainTextAsync("6001");
        await Assertions.Expect(page.Locator("#ami")).ToContainTextAsync("AMI up");
        await Assertions.Expect(row.Locator("button.pin")).ToBeEnabledAsync();
        // No firmware here: the only choice is the site default.
        Assert.Equal(["site default"], (await row.Locator("select.pin-load option").AllTextContentsAsync()).Select(t => t.Trim()));
        Assert.True((await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("dashboard-phones.png") })).Length > 1000);

        await page.Locator("button.resync[data-mac='0011223344AA']").ClickAsync();

        var notify = await service.Asterisk!.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Equal("6001", notify.Action["Endpoint"]);
        Assert.Equal(["Event=check-sync"], notify.Action.GetAll("Variable"));
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("check-sync sent to 0011223344AA");
        await Assertions.Expect(page.Locator("#message")).ToHaveClassAsync("ok");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("dashboard-resync.png") });

        // Pin with "site default" on an unpinned phone posts {"load": null}: refused, and the page says why.
        await row.Locator("button.pin").ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("0011223344AA is not pinned");
        await Assertions.Expect(page.Locator("#message")).ToHaveClassAsync("bad");
    }
}
