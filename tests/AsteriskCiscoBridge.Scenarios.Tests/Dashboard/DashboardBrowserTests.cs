using AsteriskCiscoBridge.Testing.Browser;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Scenarios.Tests.Dashboard;

/// <summary>
/// The dashboard in Debian's headless Chromium, driven over the DevTools protocol: the page lists
/// the phone from the real store, and its Resync button makes the service send a PJSIPNotify to
/// the AMI test server. Screenshots go to screenshots/ in the test output folder.
/// </summary>
public sealed class DashboardBrowserTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Screenshot(string name) => Path.Combine(AppContext.BaseDirectory, "screenshots", name);

    private static async Task<string> TextAsync(CdpSession page, string selector) =>
        (await page.EvaluateAsync($"(document.querySelector({System.Text.Json.JsonSerializer.Serialize(selector)}) || {{}}).textContent || ''", Ct)).GetString() ?? string.Empty;

    [Fact]
    public async Task The_page_lists_the_bound_phone_and_its_resync_button_sends_a_pjsipnotify()
    {
        await using var service = await DashboardServiceTests.StartAsync(Ct);
        await using var browser = await ChromiumBrowser.LaunchAsync(Bound, Ct);
        await using var page = await browser.NewPageAsync(Ct);

        await page.NavigateAsync(DashboardServiceTests.DashboardUri(service), Ct);
        var row = string.Empty;
        await Eventually.TrueAsync(async () => (row = await TextAsync(page, "#phones tr[data-mac='0011223344AA']")).Length > 0, "the phone's row", Ct, Bound);
        Assert.Contains("0011223344AA", row, StringComparison.Ordinal);
        Assert.Contains("7960", row, StringComparison.Ordinal);
        Assert.Contains("6001", row, StringComparison.Ordinal);
        Assert.Contains("AMI up", await TextAsync(page, "#ami"), StringComparison.Ordinal);
        Assert.False((await page.EvaluateAsync("document.querySelector(\"#phones tr[data-mac='0011223344AA'] button.pin\").disabled", Ct)).GetBoolean());

        // No firmware here: the only choice is the site default.
        Assert.Equal("site default", (await page.EvaluateAsync("[...document.querySelector(\"#phones tr[data-mac='0011223344AA'] select.pin-load\").options].map(o => o.text).join('|')", Ct)).GetString());
        Assert.True(new FileInfo(await page.ScreenshotAsync(Screenshot("dashboard-phones.png"), Ct)).Length > 1000);

        await page.EvaluateAsync("document.querySelector(\"button.resync[data-mac='0011223344AA']\").click()", Ct);

        var notify = await service.Asterisk!.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Equal("6001", notify.Action["Endpoint"]);
        Assert.Equal(["Event=check-sync"], notify.Action.GetAll("Variable"));
        await Eventually.TrueAsync(async () => (await TextAsync(page, "#message")).Contains("check-sync sent to 0011223344AA", StringComparison.Ordinal), "the page says the NOTIFY was sent", Ct, Bound);
        Assert.Equal("ok", (await page.EvaluateAsync("document.getElementById('message').className", Ct)).GetString());
        await page.ScreenshotAsync(Screenshot("dashboard-resync.png"), Ct);

        // Pin with "site default" on an unpinned phone posts {"load": null}: refused, and the page says why.
        await page.EvaluateAsync("document.querySelector(\"#phones tr[data-mac='0011223344AA'] button.pin\").click()", Ct);
        await Eventually.TrueAsync(async () => (await TextAsync(page, "#message")).Contains("0011223344AA is not pinned", StringComparison.Ordinal), "the page says the phone is not pinned", Ct, Bound);
        Assert.Equal("bad", (await page.EvaluateAsync("document.getElementById('message').className", Ct)).GetString());
    }

}
