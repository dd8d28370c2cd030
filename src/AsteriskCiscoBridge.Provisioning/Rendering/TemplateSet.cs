using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>An override template as the admin wrote it: its template name, its text and where it came from (the file, for errors).</summary>
public sealed record TemplateSource(string Name, string Text, string Source);

/// <summary>
/// One override template, parsed once as Liquid (Fluid), or the reason it cannot be: a syntax error
/// or an unknown filter, with the file, line and column. A template that does not parse is never
/// rendered: the files it would make are not served new (<see cref="TemplateText"/>).
/// </summary>
public sealed class FileTemplate
{
    internal FileTemplate(string name, string source, IFluidTemplate? parsed, string? error)
    {
        Name = name;
        Source = source;
        Parsed = parsed;
        Error = error;
    }

    /// <summary>The template name (<see cref="TemplateNames"/>).</summary>
    public string Name { get; }

    /// <summary>Where the text came from: the file in the template folder.</summary>
    public string Source { get; }

    /// <summary>Why the template cannot be used (<c>file, line L, column C: …</c>), or null.</summary>
    public string? Error { get; }

    internal IFluidTemplate? Parsed { get; }
}

/// <summary>
/// Whole-file templates an admin puts in the override folder, by template name
/// (<see cref="TemplateNames"/>). The host reads the folder; renderers only see the parsed templates.
/// A template is Liquid: <c>{{ name }}</c> placeholders (a template of the older <c>{{name}}</c>
/// kind is one), <c>{% for line in lines %}</c>, <c>{% if model == "7961" %}</c>, filters.
/// </summary>
public sealed class TemplateSet
{
    private readonly Dictionary<string, FileTemplate> _templates;

    /// <summary>Templates by name and text (the name stands for the file in errors).</summary>
    public TemplateSet(IEnumerable<KeyValuePair<string, string>> templates)
        : this(templates.Select(t => new TemplateSource(t.Key, t.Value, t.Key)))
    {
    }

    private TemplateSet(IEnumerable<TemplateSource> templates)
    {
        _templates = new Dictionary<string, FileTemplate>(StringComparer.OrdinalIgnoreCase);
        foreach (var template in templates)
        {
            _templates[template.Name] = TemplateText.Parse(template);
        }
    }

    public static TemplateSet Empty { get; } = From([]);

    /// <summary>Templates read from files: errors name <see cref="TemplateSource.Source"/>.</summary>
    public static TemplateSet From(IEnumerable<TemplateSource> templates) => new(templates);

    public int Count => _templates.Count;

    /// <summary>Every template that cannot be used, one line each (<see cref="FileTemplate.Error"/>).</summary>
    public IReadOnlyList<string> Errors => [.. _templates.Values.Select(t => t.Error).OfType<string>()];

    public FileTemplate? Find(string templateName) => _templates.GetValueOrDefault(templateName);
}

/// <summary>The names of override templates, one per file kind.</summary>
public static class TemplateNames
{
    public const string Os79xx = "OS79XX.TXT";
    public const string SipDefault = "SIPDefault.cnf";
    public const string SipMac = "SIP{mac}.cnf";
    public const string SyncInfo = "syncinfo.xml";
    public const string RingListDat = "RINGLIST.DAT";
    public const string DialPlan = "dialplan.xml";
    public const string SepMac = "SEP{mac}.cnf.xml";
    public const string XmlDefault = "XMLDefault.cnf.xml";
    public const string RingListXml = "Ringlist.xml";

    public static IReadOnlyList<string> All { get; } = [Os79xx, SipDefault, SipMac, SyncInfo, RingListDat, DialPlan, SepMac, XmlDefault, RingListXml];
}

/// <summary>How a value is written into a template's output.</summary>
internal enum TemplateSyntax
{
    /// <summary>As is (OS79XX.TXT, RINGLIST.DAT).</summary>
    Plain = 0,

    /// <summary>XML entities, on every <c>{{ }}</c> output.</summary>
    Xml = 1,

    /// <summary>Inside a cnf value's quotes: the values are already cnf-safe.</summary>
    Cnf = 2,
}

/// <summary>
/// What a template sees: named text values (every name of the older <c>{{name}}</c> templates)
/// and lists of records (<c>lines</c>). Values are text the renderer already checked for the
/// file; a name ending in <c>_xml</c> is a fragment the renderer built and escaped itself.
/// </summary>
internal sealed class TemplateModel
{
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> Lists { get; } = new(StringComparer.Ordinal);

    public static TemplateModel Of(IReadOnlyDictionary<string, string> values)
    {
        var model = new TemplateModel();
        foreach (var (name, value) in values)
        {
            model.Values[name] = value;
        }

        return model;
    }
}

/// <summary>The outcome of one template: the text, or the error that stops the phone's round.</summary>
internal readonly record struct TemplateResult(string? Text, string? Error);

/// <summary>
/// Parses and renders override templates with Fluid. Every <c>{{ }}</c> output is escaped for the
/// file's syntax (XML entities in XML files), so a value from Asterisk (a display name, a label)
/// cannot add an element or a key; the <c>xml</c> and <c>cnf</c> filters apply the same escaping by
/// name, and <c>raw</c> does not exist. The model is built from Fluid's own values (no CLR objects,
/// so no member access by reflection); time is fixed and steps and output are bounded, so a
/// render is pure and ends.
/// </summary>
internal static class TemplateText
{
    /// <summary>Loops and filters a template may run per render: far above any phone's file, far below a hang.</summary>
    public const int MaxSteps = 200_000;

    /// <summary>Largest text a template may produce (a phone's file is a few KB).</summary>
    public const int MaxOutputSize = 1 << 20;

#pragma warning disable FLUID001 // Statement locations name the line of an unknown filter; the option is marked for evaluation.
    private static readonly FluidParser Parser = new(new FluidParserOptions { TrackStatementLocations = true });
#pragma warning restore FLUID001

    private static readonly TemplateOptions Options = CreateOptions();

    public static FileTemplate Parse(TemplateSource source)
    {
        IFluidTemplate parsed;
        try
        {
            parsed = Parser.Parse(source.Text);
        }
        catch (ParseException e)
        {
            var reason = e.Message.Split('\n')[0];
            var at = reason.LastIndexOf(" at (", StringComparison.Ordinal);
            reason = at > 0 ? reason[..at] : reason;
            return new FileTemplate(source.Name, source.Source, null, e.Position is { } p ? Where(source.Source, p.Line, p.Column, reason) : $"template {source.Source}: {reason}");
        }

        var filters = new FilterCheck();
        filters.VisitTemplate(parsed);
        if (filters.Unknown is var (name, offset))
        {
            var (line, column) = LineAndColumn(source.Text, offset);
            return new FileTemplate(source.Name, source.Source, null, Where(source.Source, line, column, $"unknown filter '{name}'"));
        }

        return new FileTemplate(source.Name, source.Source, parsed, null);
    }

    /// <summary>The rendered text, or empty with <paramref name="error"/> set when the template cannot be used.</summary>
    public static string Render(FileTemplate template, IReadOnlyDictionary<string, string> values, TemplateSyntax syntax, string file, List<RenderWarning> warnings, out string? error) =>
        Render(template, TemplateModel.Of(values), syntax, file, warnings, out error);

    /// <inheritdoc cref="Render(FileTemplate, IReadOnlyDictionary{string, string}, TemplateSyntax, string, List{RenderWarning}, out string?)"/>
    public static string Render(FileTemplate template, TemplateModel model, TemplateSyntax syntax, string file, List<RenderWarning> warnings, out string? error)
    {
        var result = Render(template, model, syntax, file, warnings);
        error = result.Error;
        return result.Text ?? string.Empty;
    }

    /// <summary>Renders <paramref name="template"/>; an unknown name becomes empty and is reported in <paramref name="warnings"/>.</summary>
    public static TemplateResult Render(FileTemplate template, TemplateModel model, TemplateSyntax syntax, string file, List<RenderWarning> warnings)
    {
        if (template.Parsed is not { } parsed)
        {
            return new TemplateResult(null, template.Error);
        }

        var context = new TemplateContext(Options);
        context.Undefined = (name, _) =>
        {
            warnings.Add(new RenderWarning(file, "template", $"unknown placeholder '{{{{{name}}}}}' left empty"));
            return ValueTask.FromResult<FluidValue>(NilValue.Instance);
        };
        foreach (var (name, value) in model.Values)
        {
            // A name ending in _xml is a fragment the renderer built and escaped already.
            context.SetValue(name, StringValue.Create(value, encode: !name.EndsWith("_xml", StringComparison.Ordinal)));
        }

        foreach (var (name, items) in model.Lists)
        {
            context.SetValue(name, ArrayValue.Create([.. items.Select(Record)]));
        }

        try
        {
            return new TemplateResult(parsed.Render(context, syntax == TemplateSyntax.Xml ? XmlTextEncoder.Instance : NullEncoder.Default), null);
        }
        catch (Exception e) when (e is FluidException or LiquidException or InvalidOperationException or ArgumentException or FormatException or OverflowException or DivideByZeroException)
        {
            // Fluid names no position at run time: the text says what went wrong (a step or size limit, a filter's argument).
            return new TemplateResult(null, $"template {template.Source}: {e.Message.Split('\n')[0].TrimEnd('.')} (while rendering {file})");
        }
    }

    private static FluidValue Record(IReadOnlyDictionary<string, string> item) =>
        DictionaryValue.Create(new FluidValueDictionaryFluidIndexable(item.ToDictionary(p => p.Key, p => StringValue.Create(p.Value), StringComparer.Ordinal)));

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptionsBuilder()
            .WithStrictFilters(true)
            .WithMaxSteps(MaxSteps)
            .WithMaxOutputSize(MaxOutputSize)
            .WithCultureInfo(System.Globalization.CultureInfo.InvariantCulture)
            .WithTimeZone(TimeZoneInfo.Utc)
            // Renderers have no clock: the same inputs give the same bytes ('now' is the epoch).
            .WithNow(() => DateTimeOffset.UnixEpoch)
            .ConfigureFilters(filters =>
            {
                filters.Remove("raw");
                // Fluid writes json by reflection, which the native build does not carry; a phone's file is never JSON.
                filters.Remove("json");
                filters.AddFilter("xml", (input, _, context) => StringValue.Create(Escaping.Xml(input.ToStringValue(context)), encode: false));
                filters.AddFilter("cnf", (input, _, context) => StringValue.Create(CnfSafe(input.ToStringValue(context)), encode: false));
            })
            .Build();
        return options;
    }

    /// <summary>A value inside cnf quotes: no quote and no line break (spec §2.2), control characters dropped.</summary>
    internal static string CnfSafe(string value) => string.Concat(value.Where(c => c != '"' && !char.IsControl(c)));

    private static string Where(string source, int line, int column, string reason) => $"template {source}, line {line}, column {column}: {reason}";

    private static (int Line, int Column) LineAndColumn(string text, int offset)
    {
        var line = 1;
        var start = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                start = i + 1;
            }
        }

        return (line, offset - start + 1);
    }

    /// <summary>Finds the first filter the options do not know, with the offset of the statement using it.</summary>
    private sealed class FilterCheck : AstVisitor
    {
        private int _offset;

        public (string Name, int Offset)? Unknown { get; private set; }

        public override Statement Visit(Statement statement)
        {
            if (statement is null)
            {
                // Fluid's visitor walks optional parts (a for's else) that a template left out.
                return statement!;
            }

#pragma warning disable FLUID001 // see Parser
            var offset = statement.SourceOffset;
#pragma warning restore FLUID001
            var outer = _offset;
            if (offset >= 0)
            {
                _offset = offset;
            }

            var visited = base.Visit(statement);
            _offset = outer;
            return visited;
        }

        public override Expression Visit(Expression expression)
        {
            if (expression is null)
            {
                return expression!;
            }

            if (expression is FilterExpression filter && Unknown is null && !Options.Filters.TryGetValue(filter.Name, out _))
            {
                Unknown = (filter.Name, _offset);
            }

            return base.Visit(expression);
        }
    }
}
