using System.Text;
using System.Xml.Linq;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

/// <summary>
/// Seeded random phones: every file parses back and carries each line's credentials unchanged; a line
/// its family's file cannot carry (a <c>"</c> in a 7940/7960 credential) is left out, the rest keep their order.
/// </summary>
public sealed class RenderPropertyTests
{
    private const string CredentialAlphabet = "abcXYZ0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private const string NameAlphabet = "abc XYZ&<>\"'#;:é€Łñ☎\t\u0001ü";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_rendered_file_parses_back_and_carries_the_credentials(int seed)
    {
        var random = new Random(seed);
        for (var iteration = 0; iteration < 150; iteration++)
        {
            var model = PhoneModels.All[random.Next(PhoneModels.All.Count)];
            var lines = Enumerable.Range(0, random.Next(1, model.LineKeys + 1)).Select(_ => RandomLine(random)).ToArray();
            var mac = MacAddress.Parse(Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())[..6])).Mac!.Value;
            var site = new SiteSettings
            {
                PhoneLabel = RandomText(random, NameAlphabet, 0, 20),
                PhonePassword = RandomText(random, NameAlphabet, 0, 10),
                TimeZone79x0 = RandomText(random, NameAlphabet, 0, 10),
                TimeZone79x1 = RandomText(random, NameAlphabet, 0, 10),
                DateFormat = RandomText(random, NameAlphabet, 0, 10),
                MessagesNumber = RandomText(random, NameAlphabet, 0, 10),
                Loads = new SiteLoads { Sip79x0 = RandomText(random, NameAlphabet, 1, 10) },
                Rings = [new RingTone(RandomText(random, NameAlphabet, 1, 30), "Ring.raw")],
                DialPlan = [new DialRule(RandomText(random, "0123456789.*\\,&<>\"", 1, 8), random.Next(0, 9), "Phone", "%0")],
                ExtraCnfKeys = [new ExtraSetting("services_url", RandomText(random, NameAlphabet, 0, 20))],
                ExtraXmlElements = [new ExtraSetting("vendorConfig", RandomText(random, NameAlphabet, 0, 20))],
            };

            var result = PhoneFileSet.Render(site, new Phone(mac, model, lines));

            Assert.True(result.Succeeded, string.Join("; ", result.Errors));
            var allLines = lines;
            lines = model.Family == PhoneFamily.Sip79x0 ? [.. lines.Where(l => !l.EffectiveAuthUser.Contains('"', StringComparison.Ordinal) && !l.Password.Contains('"', StringComparison.Ordinal))] : lines;
            Assert.Equal(allLines.Where(l => !lines.Contains(l)), result.LeftOut.Select(l => l.Line));
            Assert.Equal(lines.Length == 0, result.CarriesNoLine);
            foreach (var file in result.Files)
            {
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file.Content);
                if (file.Name.EndsWith(".xml", StringComparison.Ordinal))
                {
                    var document = XDocument.Parse(text);
                    if (file.Name.StartsWith("SEP", StringComparison.Ordinal))
                    {
                        var parsed = document.Descendants("line").Select(l => (
                            l.Element("name")!.Value, l.Element("authName")!.Value, l.Element("authPassword")!.Value)).ToArray();
                        Assert.Equal(lines.Select(l => (l.Extension, l.EffectiveAuthUser, l.Password)), parsed);
                        Assert.Equal(result.VersionStamp, document.Root!.Element("versionStamp")!.Value);
                    }
                }
                else if (file.Name.EndsWith(".cnf", StringComparison.Ordinal))
                {
                    var keys = CnfReader.Read(text);
                    Assert.NotNull(keys);
                    Assert.Equal(keys.Count, keys.Select(k => k.Key).Distinct().Count());
                    if (file.Scope == FileScope.Phone)
                    {
                        var map = keys.ToDictionary(k => k.Key, k => k.Value);
                        for (var n = 1; n <= lines.Length; n++)
                        {
                            var line = lines[n - 1];
                            Assert.Equal((line.Extension, line.EffectiveAuthUser, line.Password), (map[$"line{n}_name"], map[$"line{n}_authname"], map[$"line{n}_password"]));
                            Assert.True(map[$"line{n}_shortname"].Length <= 12);
                        }

                        Assert.Equal(result.SyncValue, map["sync"]);
                    }
                }
                else if (file.Name == "OS79XX.TXT")
                {
                    Assert.DoesNotContain(file.Content, b => b is (byte)' ' or (byte)'\n' or (byte)'\r');
                }
            }
        }
    }

    private static LineInput RandomLine(Random random) => new(
        RandomText(random, "0123456789abc*#+", 1, 30),
        random.Next(3) == 0 ? null : RandomText(random, CredentialAlphabet, 1, 30),
        RandomText(random, CredentialAlphabet + " ", 0, 30),
        random.Next(4) == 0 ? null : RandomText(random, NameAlphabet, 0, 40),
        null,
        random.Next(4) == 0 ? RandomText(random, NameAlphabet, 1, 20) : null);

    private static string RandomText(Random random, string alphabet, int min, int max)
    {
        var runes = alphabet.EnumerateRunes().ToArray();
        var sb = new StringBuilder();
        var length = random.Next(min, max + 1);
        while (sb.Length < length)
        {
            var rune = runes[random.Next(runes.Length)];
            if (sb.Length + rune.Utf16SequenceLength > length)
            {
                rune = new Rune('a');
            }

            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }
}
