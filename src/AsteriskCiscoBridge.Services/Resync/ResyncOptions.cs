namespace AsteriskCiscoBridge.Services.Resync;

/// <summary>The <c>Resync</c> configuration section.</summary>
internal sealed class ResyncOptions
{
    /// <summary>Time between two NOTIFYs, so a reload that changes many phones never makes a boot storm. Default 1 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after a NOTIFY the phone must fetch its file before the next rung is tried
    /// (a 7940 waits until it has been idle 20 s, then reboots). Default 3 min.
    /// </summary>
    public TimeSpan FetchDeadline { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long after its last fetch of its files a phone must register again (a new Call-ID, a new
    /// contact, or its contact's expiration refreshed, in Asterisk's contacts) before it is marked stale, "fetched but did not register": it read its
    /// files but cannot use them (a wrong password, an unreachable proxy address). A later registration
    /// still clears it. Default 5 min.
    /// </summary>
    public TimeSpan RegisterDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// While phones that fetched await their registration, how often the contacts are read (one
    /// <c>PJSIPShowContacts</c> for all): a phone that registers again from the same contact URI, as a
    /// rebooted Cisco phone does, raises no <c>ContactStatus</c>; only its contact's later expiration
    /// shows it. No read while none awaits; 0 reads only at the deadline. Default 20 s.
    /// </summary>
    public TimeSpan ProofPollInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How many times in all a NOTIFY that Asterisk answers with <c>Response: Error</c> is sent before
    /// the phone is marked stale with Asterisk's message. Default 3.
    /// </summary>
    public int NotifyTries { get; set; } = 3;

    /// <summary>The wait before the first retry of a refused NOTIFY; it doubles for each further one. Default 10 s.</summary>
    public TimeSpan NotifyRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times a phone's NOTIFY may be lost with the AMI session (Asterisk down or the connection
    /// dropped while sending) before the phone is marked stale; each loss is sent again after the
    /// reconnect. Default 5.
    /// </summary>
    public int SendFailureCap { get; set; } = 5;

    /// <summary>
    /// How long a phone in a call (an endpoint In use, Busy, Ringing, Ring+Inuse or On Hold) is left
    /// alone before it is sent its NOTIFY anyway; 0 sends at once, calls or not. Default 30 min.
    /// </summary>
    public TimeSpan CallDeferDeadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// While phones wait for a call to end, how often endpoints are re-read to see it end (the
    /// poll of <c>Ami:Sync</c> may be minutes apart, and DeviceStateChange needs the <c>call</c>
    /// read class the bridge does not ask for). Default 1 min.
    /// </summary>
    public TimeSpan CallRecheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Send NOTIFYs at all (false: files change, phones pick them up on their next boot). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Version-stamp lines of the service-control body, 0–4, by series (<c>Resync:VersionStamps:88xx = 4</c>; series
    /// 79x1, 78xx, 88xx, 89xx, 99xx, 69xx). Default 3 for the 78xx and 88xx (a CP-8861 on 14.1.1 answered the fourth
    /// with 400 Bad Request), 4 for the others (the usecallmanager patch's body).
    /// </summary>
    public Dictionary<string, int> VersionStamps { get; set; } = [];
}
