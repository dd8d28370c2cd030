namespace AsteriskCiscoBridge.Services.Diagnostics;

/// <summary>How one <c>acb doctor</c> check came out.</summary>
internal enum DoctorStatus
{
    Ok = 0,
    Warn = 1,
    Fail = 2,
}

/// <summary>One line of <c>acb doctor</c>: the check, what it found and, unless OK, what to do about it.</summary>
internal sealed record DoctorResult(DoctorStatus Status, string Check, string Line, string? Fix = null)
{
    public static DoctorResult Ok(string check, string line) => new(DoctorStatus.Ok, check, line);

    public static DoctorResult Warn(string check, string line, string fix) => new(DoctorStatus.Warn, check, line, fix);

    public static DoctorResult Fail(string check, string line, string fix) => new(DoctorStatus.Fail, check, line, fix);

    /// <summary>The printed line, e.g. <c>FAIL  ami.login      Authentication failed: check Ami:Secret</c>.</summary>
    public string Format()
    {
        var status = Status switch
        {
            DoctorStatus.Ok => "OK  ",
            DoctorStatus.Warn => "WARN",
            _ => "FAIL",
        };
        var text = $"{status}  {Check,-20} {Line}";
        return Fix is null ? text : $"{text} (fix: {Fix})";
    }
}
