using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Services.Configuration;

namespace AsteriskCiscoBridge.Host.Tests.Configuration;

public sealed class AcbSectionsTests
{
    /// <summary>Every settings type a section's type leads to (sub-sections, list and map items with keys of their own).</summary>
    private static HashSet<Type> Reachable()
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>(AcbSections.All.Select(s => s.Options));
        while (pending.Count > 0 && found.Count < 200)
        {
            foreach (var member in SettingShapes.MembersOf(pending.Pop()).Values)
            {
                var shape = SettingShapes.Of(member.Type);
                if ((shape.Kind == SettingKind.Section || SettingShapes.Of(shape.Type).Kind == SettingKind.Section) && found.Add(shape.Type))
                {
                    pending.Push(shape.Type);
                }
            }
        }

        return found;
    }

    [Fact]
    public void Every_settings_type_below_a_section_is_rooted_for_the_native_build()
    {
        // The native build keeps only what is rooted: a nested type missing from Nested would lose its
        // properties there, and its keys would be reported as unknown.
        var missing = Reachable().Except(AcbSections.Nested).Except(AcbSections.All.Select(s => s.Options)).Select(t => t.FullName).Order(StringComparer.Ordinal);
        Assert.Empty(missing);
    }

    [Fact]
    public void Nested_lists_only_types_that_a_section_reaches()
    {
        Assert.Empty(AcbSections.Nested.Except(Reachable()).Select(t => t.FullName));
    }

    [Fact]
    public void No_setting_is_init_only_which_the_generated_binder_would_silently_skip()
    {
        // The configuration binder generated for the native build cannot set an init accessor and says nothing
        // (dotnet/runtime#107856): such a setting would keep its default whatever the admin wrote.
        var initOnly = AcbSections.All.Select(s => s.Options).Concat(AcbSections.Nested).Distinct()
            .SelectMany(t => t.GetProperties().Where(p => !BoundThroughConstructor(t, p.Name) && p.SetMethod is { IsPublic: true } setter &&
                setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit))).Select(p => $"{t.Name}.{p.Name}"));
        Assert.Empty(initOnly);
    }

    // A positional record (ExtraSetting) is made through its constructor, which the generated binder calls.
    private static bool BoundThroughConstructor(Type type, string property) =>
        type.GetConstructor(Type.EmptyTypes) is null &&
        type.GetConstructors().Any(c => c.GetParameters().Any(p => string.Equals(p.Name, property, StringComparison.OrdinalIgnoreCase)));
}
