using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using AsteriskCiscoBridge.Services.Configuration;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Configuration;

/// <summary>
/// The start-up check of the whole configuration, every section of <see cref="AcbSections"/> at
/// once: unknown keys (with the nearest known one), values of the wrong shape (a list or section
/// where one value belongs, text that is not a time span, number, switch or one of an enum's names),
/// then each bound options object's own rules (data annotations, <see cref="IValidatableObject"/>).
/// Each problem is one line naming the key; values are quoted only where the text failed to parse,
/// so a secret (a string) is never repeated. Pure: reads the configuration, nothing else.
/// </summary>
internal static class ConfigurationCheck
{
    private static readonly Lock ValidationGate = new();

    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var child in configuration.GetChildren())
        {
            if (AcbSections.TopLevel.FirstOrDefault(s => string.Equals(s, child.Key, StringComparison.OrdinalIgnoreCase)) is { } section)
            {
                CheckSection(child, section, problems);
            }
            else if (!AcbSections.Foreign.Contains(child.Key, StringComparer.OrdinalIgnoreCase) && child.GetChildren().Any())
            {
                // A lone top-level value (ACB_SOMETHING from another program sharing the prefix) is
                // not ours to judge; a section of ours misspelt would be silently ignored.
                problems.Add($"unknown section {child.Key}{Suggest(child.Key, [.. AcbSections.TopLevel, .. AcbSections.Foreign], null)}");
            }
        }

        return problems;
    }

    private static void CheckSection(IConfigurationSection section, string path, List<string> problems)
    {
        var bindings = AcbSections.At(path);
        var subsections = AcbSections.SubsectionsOf(path);
        var before = problems.Count;
        CheckMembers(section, path, [.. bindings.Select(b => b.Options)], subsections, problems);
        foreach (var child in section.GetChildren())
        {
            if (subsections.FirstOrDefault(s => string.Equals(s, child.Key, StringComparison.OrdinalIgnoreCase)) is { } sub)
            {
                CheckSection(child, $"{path}:{sub}", problems);
            }
        }

        if (problems.Count == before)
        {
            // The shapes are right, so binding cannot fail: now each type's own rules.
            foreach (var binding in bindings)
            {
                Validate(binding.Bind(section), path, problems);
            }
        }
    }

    private static void CheckMembers(IConfigurationSection section, string path, IReadOnlyList<Type> types, IReadOnlyList<string> subsections, List<string> problems)
    {
        var members = new Dictionary<string, (string Name, SettingMember Member)>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in types)
        {
            foreach (var (name, member) in SettingShapes.MembersOf(type))
            {
                members[name] = (name, member);
            }
        }

        if (!string.IsNullOrEmpty(section.Value) && !section.GetChildren().Any())
        {
            problems.Add($"{path} is a section: set its keys ({string.Join(", ", members.Keys.Concat(subsections).Order(StringComparer.Ordinal))}), not {path} itself");
            return;
        }

        foreach (var child in section.GetChildren())
        {
            if (members.TryGetValue(child.Key, out var known))
            {
                CheckSetting(child, $"{path}:{known.Name}", known.Member.Type, problems);
            }
            else if (!subsections.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"unknown key {path}:{child.Key}{Suggest(child.Key, [.. members.Values.Select(m => m.Name), .. subsections], path)}");
            }
        }

        foreach (var (name, member) in members.Values)
        {
            if (member.Required && section.GetChildren().Any() && !section.GetSection(name).Exists())
            {
                problems.Add($"{path} needs {path}:{name}");
            }
        }
    }

    private static void CheckSetting(IConfigurationSection setting, string path, Type type, List<string> problems)
    {
        var shape = SettingShapes.Of(type);
        var children = setting.GetChildren().ToArray();
        switch (shape.Kind)
        {
            case SettingKind.Value when children.Length > 0:
                problems.Add($"{path} takes one value, not a list or keys under it ({path}:{children[0].Key})");
                break;
            case SettingKind.Value:
                if (setting.Value is { } text && ValueProblem(text, shape.Type, Nullable.GetUnderlyingType(type) is not null) is { } problem)
                {
                    problems.Add($"{path} '{text}' {problem}");
                }

                break;
            case SettingKind.List:
                foreach (var item in children)
                {
                    if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    {
                        problems.Add($"{path} is a list: its items are {path}:0, {path}:1, …, not {path}:{item.Key}");
                        continue;
                    }

                    CheckSetting(item, $"{path}:{item.Key}", shape.Type, problems);
                }

                break;
            case SettingKind.Map:
                foreach (var item in children)
                {
                    CheckSetting(item, $"{path}:{item.Key}", shape.Type, problems);
                }

                break;
            case SettingKind.Section when children.Length == 0 && !string.IsNullOrEmpty(setting.Value):
                problems.Add($"{path} takes keys of its own ({string.Join(", ", SettingShapes.MembersOf(shape.Type).Keys.Order(StringComparer.Ordinal))}), not one value");
                break;
            case SettingKind.Section:
                CheckMembers(setting, path, [shape.Type], [], problems);
                break;
        }
    }

    /// <summary>Why <paramref name="text"/> does not read as <paramref name="type"/>, or null when it does.</summary>
    internal static string? ValueProblem(string text, Type type, bool nullable)
    {
        if (type == typeof(string) || (nullable && text.Length == 0))
        {
            return null;
        }

        if (type == typeof(TimeSpan))
        {
            // TimeSpan reads a bare "5" as five days: a time span must show its colons.
            if (!text.Contains(':', StringComparison.Ordinal) || !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
            {
                return "is not a time span (hh:mm:ss, e.g. 00:00:30)";
            }

            return span < TimeSpan.Zero ? "is negative" : null;
        }

        if (type.IsEnum)
        {
            // Enum.TryParse takes any number ("7") too; only the names are settings.
            var names = Enum.GetNames(type);
            return names.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase) ? null : $"is not one of {string.Join(", ", names)}";
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(text, out _) ? null : "is not true or false";
        }

        return type switch
        {
            _ when type == typeof(int) => Whole(int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(long) => Whole(long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(short) => Whole(short.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(byte) => Whole(byte.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(sbyte) => Whole(sbyte.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(uint) => Whole(uint.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(ulong) => Whole(ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(ushort) => Whole(ushort.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(double) => Number(double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(float) => Number(float.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(decimal) => Number(decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _)),
            _ when type == typeof(Uri) => Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out _) ? null : "is not a Uri",
            _ when type == typeof(DateTimeOffset) => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "is not a DateTimeOffset",
            _ when type == typeof(DateTime) => DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "is not a DateTime",
            _ when type == typeof(Guid) => Guid.TryParse(text, out _) ? null : "is not a Guid",
            _ when type == typeof(Version) => Version.TryParse(text, out _) ? null : "is not a Version",
            _ => null,
        };

        static string? Whole(bool read) => read ? null : "is not a whole number";
        static string? Number(bool read) => read ? null : "is not a number";
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = SettingShapes.RootedJustification)]
    private static void Validate(object options, string path, List<string> problems)
    {
        var results = new List<ValidationResult>();
        bool valid;
        // One check at a time: a [Range(typeof(TimeSpan), …)] attribute converts its bounds on first use without
        // a lock (RangeAttribute.SetupConversion), and two checks at once (hosts started in parallel) could meet there.
        lock (ValidationGate)
        {
            valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        }

        if (valid)
        {
            return;
        }

        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            problems.Add(member is null ? $"{path}: {result.ErrorMessage}" : $"{path}:{member} {result.ErrorMessage}");
        }
    }

    /// <summary>" (did you mean Tftp:Listen?)" for the nearest known name within two edits, else the known names.</summary>
    private static string Suggest(string key, IReadOnlyCollection<string> known, string? path)
    {
        var nearest = known
            .Select(k => (Name: k, Distance: EditDistance(key.ToUpperInvariant(), k.ToUpperInvariant())))
            .Where(k => k.Distance <= Math.Min(2, Math.Max(1, k.Name.Length / 3)))
            .OrderBy(k => k.Distance)
            .FirstOrDefault();
        if (nearest.Name is not null)
        {
            return $" (did you mean {(path is null ? "" : path + ":")}{nearest.Name}?)";
        }

        return path is null
            ? $" (sections: {string.Join(", ", known)})"
            : $" ({path} has {string.Join(", ", known.Order(StringComparer.Ordinal))})";
    }

    /// <summary>Edits (insert, delete, replace, swap of neighbours) from one name to the other.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
