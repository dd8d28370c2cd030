using System.CommandLine;
using System.Net;
using AsteriskCiscoBridge.Firmware;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Http;
using AsteriskCiscoBridge.Services.Storage;
using Microsoft.Extensions.Configuration;

using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb doctor</c>: one line per check (OK, WARN or FAIL, with the fix): AMI reachable, login,
/// each permission the bridge uses (probed with actions that change nothing), the NOTIFY path, the
/// running service's TFTP and HTTP listeners, firmware completeness, bound endpoints that cannot be
/// provisioned, duplicate MAC bindings and labels too long for the model, whether the store can be
/// written (a full disk), and, while the service holds an answer of Asterisk that would strip many phones
/// at once, a WARN saying so. Exits 1 on any FAIL.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var config = CliStore.ConfigOption();
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long each port probe waits for an answer (default 00:00:02).", DefaultValueFactory = _ => TimeSpan.FromSeconds(2) };
        var command = new Command("doctor", "Check AMI login and permissions, the NOTIFY path, the TFTP/HTTP ports, firmware and bindings; one line each with the fix.") { config, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var configuration = AcbConfiguration.Build(parse.GetValue(config)?.FullName);
            var results = await RunAsync(configuration, parse.GetValue(timeout), time, async () => await CliStore.OpenAsync(parse, config, ct), ct);
            foreach (var result in results)
            {
                await output.WriteLineAsync(result.Format());
            }

            var failed = results.Count(r => r.Status == DoctorStatus.Fail);
            var warned = results.Count(r => r.Status == DoctorStatus.Warn);
            await output.WriteLineAsync($"{results.Count} checks: {failed} failed, {warned} warnings");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    internal static async Task<IReadOnlyList<DoctorResult>> RunAsync(IConfiguration configuration, TimeSpan timeout, TimeProvider time, Func<Task<CliStore>> openStore, CancellationToken cancellationToken)
    {
        var results = new List<DoctorResult>();
        var ami = AmiOptions.Bind(configuration, out var problem);
        var report = await AmiDoctor.RunAsync(ami, problem, time, cancellationToken);
        results.AddRange(report.Results);

        if (!TftpSettings.TryRead(configuration, out var tftp, out _, out var tftpError))
        {
            results.Add(DoctorResult.Fail("tftp", tftpError, "correct Tftp:Listen in acb.json"));
        }
        else
        {
            foreach (var listen in tftp.Listen)
            {
                results.Add(await PortProbe.TftpAsync(listen, timeout, time, cancellationToken));
            }
        }

        if (!ListenAddresses.TryRead(configuration, "Http:Listen", [HttpOptions.DefaultListen], "0.0.0.0:6970", out var httpListen, out var httpError))
        {
            results.Add(DoctorResult.Fail("http", httpError, "correct Http:Listen in acb.json"));
        }

        foreach (var http in httpListen)
        {
            results.Add(await PortProbe.HttpAsync(http, timeout, cancellationToken));
        }

        CliStore store;
        try
        {
            store = await openStore();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            var settings = SiteConfiguration.From(configuration).Storage;
            results.Add(StoreDoctor.CannotWrite(Path.GetFullPath(settings.Database), settings, e));
            return results;
        }

        results.Add(await StoreDoctor.CheckAsync(store.Factory, store.Settings.Storage, cancellationToken));
        if (ProvisioningDoctor.RemovalHold(await new RemovalHoldStore(store.Factory).GetAsync(cancellationToken), RemovalHoldView.HoldOf(configuration)) is { } held)
        {
            results.Add(held);
        }

        var facts = new ProvisioningFacts(
            await store.Phones.ListAsync(cancellationToken),
            await store.Phones.AllBindingsAsync(cancellationToken),
            report.Snapshot,
            store.Settings.Site.ToSettings().Loads)
        {
            Inventory = await store.Phones.InventoryAsync(report.Snapshot is { } snapshot ? InventoryReading.EndpointsOf(snapshot) : (await new SnapshotStore(store.Factory).LoadAsync(cancellationToken))?.Endpoints, cancellationToken),
        };
        var folder = FirmwareFolder.DirectoryOf(configuration["Firmware:Directory"]);
        var catalog = Directory.Exists(folder) ? await FirmwareFolder.ScanAsync(folder, cancellationToken) : FirmwareCatalog.Empty;
        results.AddRange(ProvisioningDoctor.Firmware(facts, catalog, folder));
        results.AddRange(ProvisioningDoctor.Endpoints(facts));
        results.Add(ProvisioningDoctor.Contacts(facts));
        results.AddRange(ProvisioningDoctor.DuplicateMacs(facts));
        results.AddRange(ProvisioningDoctor.Labels(facts));
        return results;
    }
}
