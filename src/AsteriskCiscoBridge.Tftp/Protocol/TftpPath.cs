namespace AsteriskCiscoBridge.Tftp.Protocol;

/// <summary>
/// Confinement, step one: a requested name is reduced to a safe relative path or refused,
/// before any file source sees it. Pure. The second step (symlinks, device files) is the
/// directory source's, because only the file system knows.
/// </summary>
public static class TftpPath
{
    /// <summary>Longest name accepted (a Cisco name is under 64 characters).</summary>
    public const int MaxLength = 255;

    /// <summary>Returns the safe relative path, or null and the reason it was refused.</summary>
    public static string? Normalize(string requested, out string? refusal)
    {
        refusal = null;
        if (requested.Length == 0)
        {
            refusal = "empty name";
            return null;
        }

        if (requested.Length > MaxLength)
        {
            refusal = $"name longer than {MaxLength} characters";
            return null;
        }

        foreach (var c in requested)
        {
            if (c is < ' ' or > '~')
            {
                refusal = "name contains control or non-ASCII characters";
                return null;
            }

            if (c is '\\' or ':')
            {
                refusal = $"name contains '{c}' (backslash paths and drive letters are refused)";
                return null;
            }
        }

        if (requested[0] == '/')
        {
            refusal = "absolute path";
            return null;
        }

        foreach (var segment in requested.Split('/'))
        {
            if (segment.Length == 0)
            {
                refusal = "empty path segment";
                return null;
            }

            if (segment is "." or "..")
            {
                refusal = "'.' or '..' segment";
                return null;
            }
        }

        return requested;
    }
}
