using System.Reflection;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Tests;

/// <summary>
/// Admins filter the journal by event id (<c>category[id]</c> in each line), so an id names one event for good:
/// every assembly of the product declares its events in its one <c>Log</c> class, inside its own range of ids,
/// and no id is used twice or given again once retired. Read by reflection from the built assemblies.
/// </summary>
public sealed class LogTests
{
    // One range per assembly, never overlapping; each Log.cs names its own. Provisioning (pure) and Storage log
    // nothing and keep their thousands; an assembly not listed here gets a range before its first event.
    private static readonly (string Assembly, int First, int Last)[] Ranges =
    [
        ("AsteriskCiscoBridge.Ami", 1000, 1999),
        ("AsteriskCiscoBridge.Tftp", 2000, 2999),
        ("AsteriskCiscoBridge.Provisioning", 3000, 3999),
        ("AsteriskCiscoBridge.Storage", 4000, 4999),
        ("AsteriskCiscoBridge.Services", 5000, 6999),
        ("AsteriskCiscoBridge.Dashboard", 7000, 7999),
        ("acb", 8000, 8999),
    ];

    // Ids that once meant another event (removed, or moved when the assemblies got their own ranges).
    private static readonly int[] Retired = [3100, 3101, 3102, 3110, 3111, 6077, 6101, 6102, 6103, 6104, 6110, 6141];

    private static readonly IReadOnlyList<Assembly> Product = ProductAssemblies();

    private static readonly IReadOnlyList<LogEvent> Events =
    [
        .. from assembly in Product
           from type in assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
           let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
           where attribute is not null
           select new LogEvent(assembly.GetName().Name!, type, method.Name, attribute.EventId),
    ];

    [Fact]
    public void Event_ids_are_unique_across_the_solution()
    {
        Assert.NotEmpty(Events);
        NoneOf("ids used more than once", Events.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => string.Join(", ", g)));
    }

    [Fact]
    public void Event_ids_lie_in_the_range_of_their_assembly()
    {
        NoneOf("ids outside their assembly's range", Events.Where(e => RangeOf(e.Assembly) is not { } range || e.Id < range.First || e.Id > range.Last).Select(e => $"{e} (range {RangeOf(e.Assembly)?.ToString() ?? "none"})"));
    }

    [Fact]
    public void Each_assembly_declares_its_events_in_its_one_Log_class()
    {
        Assert.Superset(new HashSet<string> { "acb", "AsteriskCiscoBridge.Ami", "AsteriskCiscoBridge.Dashboard", "AsteriskCiscoBridge.Services", "AsteriskCiscoBridge.Tftp" }, Events.Select(e => e.Assembly).ToHashSet());
        NoneOf("assemblies with events outside one top-level Log class", Events.GroupBy(e => e.Assembly)
            .Where(g => g.Select(e => e.Type).Distinct().Count() != 1 || g.First().Type is not { Name: "Log", IsNested: false })
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Type.FullName).Distinct())}"));
    }

    [Fact]
    public void Retired_ids_are_not_given_again()
    {
        NoneOf("retired ids in use", Events.Where(e => Retired.Contains(e.Id)).Select(e => e.ToString()));
    }

    [Fact]
    public void Ranges_do_not_overlap_and_name_assemblies_of_the_product()
    {
        NoneOf("overlapping ranges", Ranges.SelectMany(a => Ranges.Where(b => a.Assembly != b.Assembly && a.First <= b.Last && b.First <= a.Last).Select(b => $"{a.Assembly} overlaps {b.Assembly}")));
        NoneOf("ranges of assemblies acb does not reference", Ranges.Select(r => r.Assembly).Except(Product.Select(a => a.GetName().Name!)));
    }

    // One line per offender in the failure message (Assert.Empty would cut them short).
    private static void NoneOf(string what, IEnumerable<string> offenders)
    {
        var list = offenders.ToList();
        Assert.True(list.Count == 0, $"{what}:{Environment.NewLine}{string.Join(Environment.NewLine, list)}");
    }

    private static (int First, int Last)? RangeOf(string assembly) =>
        Ranges.Where(r => r.Assembly == assembly).Select(r => ((int First, int Last)?)(r.First, r.Last)).FirstOrDefault();

    // acb and everything of ours it references, directly or through another assembly of ours.
    private static List<Assembly> ProductAssemblies()
    {
        var found = new List<Assembly>();
        var pending = new Stack<Assembly>([typeof(AsteriskCiscoBridge.Host.Log).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            if (found.Contains(assembly))
            {
                continue;
            }

            found.Add(assembly);
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("AsteriskCiscoBridge.", StringComparison.Ordinal)))
            {
                pending.Push(Assembly.Load(reference));
            }
        }

        return found;
    }

    private sealed record LogEvent(string Assembly, Type Type, string Method, int Id)
    {
        public override string ToString() => $"{Id} {Type.FullName}.{Method} in {Assembly}";
    }
}
