namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

/// <summary>
/// Reads cnf text the way spec §2.2 describes the phone reading it: <c>#</c> comment lines,
/// <c>name: value</c> with optional quotes, <c>;</c> starting a comment after an unquoted value.
/// Returns null when a line does not follow the syntax.
/// </summary>
internal static class CnfReader
{
    public static List<KeyValuePair<string, string>>? Read(string text)
    {
        var keys = new List<KeyValuePair<string, string>>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            var name = line[..colon].Trim();
            var rest = line[(colon + 1)..].TrimStart();
            string value;
            if (rest.StartsWith('"'))
            {
                var close = rest.IndexOf('"', 1);
                if (close < 0)
                {
                    return null;
                }

                value = rest[1..close];
                var after = rest[(close + 1)..].Trim();
                if (after.Length > 0 && !after.StartsWith(';'))
                {
                    return null;
                }
            }
            else
            {
                var semicolon = rest.IndexOf(';', StringComparison.Ordinal);
                value = (semicolon < 0 ? rest : rest[..semicolon]).Trim();
            }

            keys.Add(new(name, value));
        }

        return keys;
    }
}
