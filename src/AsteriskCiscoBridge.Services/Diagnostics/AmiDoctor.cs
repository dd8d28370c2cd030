using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Asterisk;

namespace AsteriskCiscoBridge.Services.Diagnostics;

/// <summary>What the AMI checks found: their lines, and the snapshot when the bridge could read one.</summary>
internal sealed record AmiDoctorReport(IReadOnlyList<DoctorResult> Results, PjsipSnapshot? Snapshot);

/// <summary>
/// Checks the AMI side the way the service uses it, with actions that change nothing: connect,
/// log in, then one action per permission the bridge needs (asterisk-conf/README.md): the
/// PJSIPShow* reads (write=system), <c>GetConfig pjsip.conf</c> (write=system or config) and
/// <c>PJSIPNotify</c> (write=system) aimed at an endpoint that does not exist, which Asterisk
/// answers "Unable to retrieve endpoint" when allowed and "Permission denied" when not
/// (fixtures: pjsipnotify-errors/02, permission-denied/02), so no phone is ever disturbed.
/// </summary>
internal static class AmiDoctor
{
    /// <summary>An endpoint name no admin uses: the harmless target of the PJSIPNotify permission check.</summary>
    public const string ProbeEndpoint = "acb-doctor-no-such-endpoint";

    private const string ManagerFix = "give the manager.conf user read = system,security and write = system (asterisk-conf/manager.conf), then 'manager reload'";

    public static async Task<AmiDoctorReport> RunAsync(AmiOptions? options, string? problem, TimeProvider time, CancellationToken cancellationToken)
    {
        var results = new List<DoctorResult>();
        if (options is null)
        {
            results.Add(DoctorResult.Fail("ami.config", problem ?? "no Ami section", "set Ami:Host, Ami:Port, Ami:Username and Ami:Secret in acb.json"));
            return new AmiDoctorReport(results, null);
        }

        var where = $"{options.Host}:{options.Port}";
        AmiConnection connection;
        try
        {
            connection = await AmiConnection.ConnectAsync(options.ToConnectionOptions(), time, null, cancellationToken);
        }
        catch (AmiException e)
        {
            results.Add(DoctorResult.Fail("ami.reachable", e.Message, $"start Asterisk or check manager.conf [general] enabled = yes, port and bindaddr match Ami:Host/Ami:Port ({where})"));
            return new AmiDoctorReport(results, null);
        }

        await using (connection)
        {
            results.Add(DoctorResult.Ok("ami.reachable", $"{where} answers: {connection.Banner}"));
            try
            {
                await connection.LoginAsync(cancellationToken);
            }
            catch (AmiException e)
            {
                results.Add(DoctorResult.Fail("ami.login", $"user '{options.Username}' refused: {e.Message}", $"Ami:Username/Ami:Secret must match a manager.conf user whose permit= allows this host"));
                return new AmiDoctorReport(results, null);
            }

            results.Add(DoctorResult.Ok("ami.login", $"logged in as '{options.Username}' ({options.AuthType})"));
            try
            {
                results.Add(Permission(
                    "ami.read-endpoints",
                    await connection.SendAsync(new AmiAction("PJSIPShowEndpoints"), cancellationToken),
                    "PJSIPShowEndpoints answered: the bridge can read endpoints, auths and contacts",
                    _ => null));
                results.Add(Permission(
                    "ami.read-config",
                    await connection.SendAsync(new AmiAction("GetConfig").Add("Filename", "pjsip.conf").Add("Filter", "type=phoneprov"), cancellationToken),
                    "GetConfig pjsip.conf answered: phoneprov MAC bindings are readable",
                    r => r.IsSuccess ? null : $"GetConfig pjsip.conf failed: {r.Message}"));
                var notify = await connection.SendAsync(new AmiAction("PJSIPNotify").Add("Endpoint", ProbeEndpoint).Add("Variable", "Event=" + ResyncNotify.CheckSync), cancellationToken);
                results.Add(NotifyPermission(notify));

                var read = await new PjsipSnapshotReader(connection, time).ReadAsync(cancellationToken);
                if (read.Snapshot is null)
                {
                    results.Add(DoctorResult.Fail("ami.snapshot", $"reading the PJSIP endpoints failed: {read.Failure}", ManagerFix));
                }

                await connection.LogoffAsync(cancellationToken);
                return new AmiDoctorReport(results, read.Snapshot);
            }
            catch (AmiException e)
            {
                results.Add(DoctorResult.Fail("ami.session", $"the session broke: {e.Message}", "check Asterisk's log (manager writetimeout, a restart)"));
                return new AmiDoctorReport(results, null);
            }
        }
    }

    /// <summary>Reads a permission probe's answer: denied is a FAIL with the manager.conf fix; any other answer proves the right.</summary>
    internal static DoctorResult Permission(string check, AmiResponse response, string okLine, Func<AmiResponse, string?> otherProblem)
    {
        if (response.IsPermissionDenied)
        {
            return DoctorResult.Fail(check, "Permission denied", ManagerFix);
        }

        return otherProblem(response) is { } problem
            ? DoctorResult.Warn(check, problem, "see asterisk-conf/README.md")
            : DoctorResult.Ok(check, okLine);
    }

    /// <summary>
    /// The NOTIFY path needs no pjsip_notify.conf (the bridge sends <c>Variable: Event=check-sync</c>
    /// inline), only write=system: "Unable to retrieve endpoint" for the probe proves both.
    /// </summary>
    internal static DoctorResult NotifyPermission(AmiResponse response)
    {
        if (response.IsPermissionDenied)
        {
            return DoctorResult.Fail("ami.notify", "PJSIPNotify: Permission denied, phones cannot be told to re-read their files", ManagerFix);
        }

        if (!response.IsSuccess && response.Message is { } message && message.Contains("Unable to retrieve endpoint", StringComparison.Ordinal))
        {
            return DoctorResult.Ok("ami.notify", "PJSIPNotify allowed (probed with an unknown endpoint; Event=check-sync is sent inline, pjsip_notify.conf not needed)");
        }

        return response.IsSuccess
            ? DoctorResult.Warn("ami.notify", $"an endpoint named '{ProbeEndpoint}' exists and was sent a NOTIFY", "rename that endpoint: the doctor uses the name as a harmless probe")
            : DoctorResult.Fail("ami.notify", $"PJSIPNotify answered: {response.Message}", "load res_pjsip_notify.so ('module load res_pjsip_notify.so')");
    }
}
