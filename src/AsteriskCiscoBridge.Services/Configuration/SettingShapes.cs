using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace AsteriskCiscoBridge.Services.Configuration;

/// <summary>How a setting is written in configuration.</summary>
internal enum SettingKind
{
    /// <summary>One value (<c>Resync:Interval = 00:00:01</c>).</summary>
    Value,

    /// <summary>Items under indexes (<c>Tftp:Listen:0</c>, <c>Tftp:Listen:1</c>); one value is read as a one-item list.</summary>
    List,

    /// <summary>Values under names the admin chooses (<c>Firmware:Defaults:7961</c>).</summary>
    Map,

    /// <summary>Named settings of their own (<c>Security:RateLimit:Burst</c>).</summary>
    Section,
}

/// <param name="Kind">How it is written.</param>
/// <param name="Type">The value's type (nullable unwrapped), or the item type of a list or map.</param>
internal sealed record SettingShape(SettingKind Kind, Type Type);

/// <param name="Type">The member's declared type.</param>
/// <param name="Required">A constructor parameter without a default: the binder cannot make the object without it.</param>
internal sealed record SettingMember(Type Type, bool Required);

/// <summary>
/// What the configuration binder can set on an options type, found the way the binder finds it:
/// public properties with a public setter (or <c>init</c>), and the parameters of the constructor
/// it calls for a type without a parameterless one (positional records such as <c>ExtraSetting</c>).
/// A computed property (<c>RateLimitOptions.Enabled</c>) is not a setting: the binder would ignore it.
/// </summary>
internal static class SettingShapes
{
    public static SettingShape Of(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type.IsEnum || type.IsPrimitive || type == typeof(decimal) || type == typeof(TimeSpan))
        {
            return new(SettingKind.Value, type);
        }

        if (type.IsArray)
        {
            return new(SettingKind.List, type.GetElementType()!);
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (arguments.Length == 2 && arguments[0] == typeof(string) &&
                (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)))
            {
                return new(SettingKind.Map, arguments[1]);
            }

            if (arguments.Length == 1 &&
                (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>) ||
                 definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>)))
            {
                return new(SettingKind.List, arguments[0]);
            }
        }

        // The other types the binder converts from text are one value; anything else has keys of its own.
        return TextValues.Contains(type) ? new(SettingKind.Value, type) : new(SettingKind.Section, type);
    }

    /// <summary>
    /// Types beyond the primitives, enums and time spans that a setting may hold as one text value: the
    /// ones the configuration binder reads from text (listed, not asked of <c>TypeDescriptor</c>, whose
    /// converters trimming may remove).
    /// </summary>
    public static IReadOnlySet<Type> TextValues { get; } = new HashSet<Type> { typeof(Uri), typeof(DateTimeOffset), typeof(DateTime), typeof(Guid), typeof(Version) };

    /// <summary>What reflection needs to find a settings type's members; every such type is rooted with it where the sections are listed.</summary>
    public const DynamicallyAccessedMemberTypes Members =
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    /// <summary>Why reading the members of a settings type is safe in the trimmed, native build.</summary>
    public const string RootedJustification =
        "Every settings type reachable from a section is rooted with Members by [DynamicDependency] where the sections are listed (AcbSections); a test fails when one is not.";

    /// <summary>The settings of an options type by name (case-insensitive, as configuration keys are).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RootedJustification)]
    public static IReadOnlyDictionary<string, SettingMember> MembersOf(Type type)
    {
        var members = new Dictionary<string, SettingMember>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.SetMethod is { IsPublic: true })
            {
                members[property.Name] = new(property.PropertyType, Required: false);
            }
        }

        if (type.GetConstructor(Type.EmptyTypes) is null &&
            type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault() is { } constructor)
        {
            foreach (var parameter in constructor.GetParameters())
            {
                var property = type.GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                members[property?.Name ?? parameter.Name!] = new(parameter.ParameterType, Required: !parameter.HasDefaultValue);
            }
        }

        return members;
    }
}
