namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>A <c>termNN.default.loads</c> that would lead a phone to a protocol other than the site's.</summary>
public sealed record TermDefaultFinding(string FileName, int Model, LoadProtocol Protocol, string Reason);

/// <summary>
/// Finds the trap of spec §1.5 item 7 and §3.5: every firmware package ships <c>termNN.default.loads</c>; a 79x1
/// phone that falls back to it (soft factory reset, or no <c>loadInformation</c> for it) fetches the files it
/// lists, so an SCCP package's term file silently converts SIP phones back to SCCP (the seed's "keeps
/// downloading the term.defaults file").
/// </summary>
public static class TermDefaultTrap
{
    public static IReadOnlyList<TermDefaultFinding> Find(FirmwareCatalog catalog, LoadProtocol siteProtocol = LoadProtocol.Sip)
    {
        var findings = new List<TermDefaultFinding>();
        foreach (var term in catalog.TermDefaults)
        {
            if (term.Problem is not null)
            {
                findings.Add(new TermDefaultFinding(term.FileName, term.Model, term.Protocol, $"{term.FileName} is unreadable ({term.Problem}); a {term.Model} falling back to it gets nothing usable"));
            }
            else if (term.Protocol != LoadProtocol.Unknown && term.Protocol != siteProtocol)
            {
                var load = term.LoadName is null ? string.Empty : $" ({term.LoadName})";
                findings.Add(new TermDefaultFinding(
                    term.FileName,
                    term.Model,
                    term.Protocol,
                    $"{term.FileName} leads a {term.Model} to {term.Protocol.ToString().ToUpperInvariant()}{load}: a phone that falls back to its default load is converted away from {siteProtocol.ToString().ToUpperInvariant()} (spec §1.5, §3.5)"));
            }
            else if (term.Files.Any(f => !f.Present))
            {
                findings.Add(new TermDefaultFinding(
                    term.FileName,
                    term.Model,
                    term.Protocol,
                    $"{term.FileName} lists files the folder lacks ({string.Join(", ", term.Files.Where(f => !f.Present).Select(f => f.Name))}): a {term.Model} falling back to it cannot finish"));
            }
        }

        return findings;
    }
}
