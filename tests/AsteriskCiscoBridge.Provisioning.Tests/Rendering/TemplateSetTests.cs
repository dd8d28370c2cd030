using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

/// <summary>Liquid override templates: loops over lines, conditionals per model, filters, escaping, and errors that stop one phone.</summary>
public sealed class TemplateSetTests
{
    private static TemplateSet Templates(params (string Name, string Text)[] templates) =>
        TemplateSet.From(templates.Select(t => new TemplateSource(t.Name, t.Text, "/etc/acb/templates/" + t.Name)));

    private static string Text(PhoneRenderResult result, string file) => Encoding.UTF8.GetString(result.Find(file)!.Content);

    [Fact]
    public void A_sep_template_loops_over_the_lines_and_every_value_is_escaped_so_none_can_add_an_element()
    {
        var templates = Templates((TemplateNames.SepMac,
            "<device>{% for line in lines %}\n  <line button=\"{{ line.number }}\"><name>{{ line.name }}</name><displayName>{{ line.display_name }}</displayName><loud>{{ line.display_name | upcase }}</loud></line>{% endfor %}\n</device>\n"));

        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7962", 2), templates);

        Assert.Equal(
            "<device>\n" +
            "  <line button=\"1\"><name>1001</name><displayName>Ann &amp; Bob &lt;Sales&gt; &quot;Q&quot; &apos;x&apos;</displayName><loud>ANN &amp; BOB &lt;SALES&gt; &quot;Q&quot; &apos;X&apos;</loud></line>\n" +
            "  <line button=\"2\"><name>1002</name><displayName>Zoë Ñúñez Lukasz</displayName><loud>ZOË ÑÚÑEZ LUKASZ</loud></line>\n" +
            "</device>\n",
            Text(result, "SEP001122AABBCC.cnf.xml"));
    }

    [Fact]
    public void A_sip_cnf_template_loops_over_the_lines_with_the_checked_values_of_the_built_in_keys()
    {
        var templates = Templates((TemplateNames.SipMac,
            "{% for line in lines %}line{{ line.number }}_name: \"{{ line.name }}\"\nline{{ line.number }}_shortname: \"{{ line.label }}\"\nline{{ line.number }}_password: \"{{ line.password }}\"\n{% endfor %}lines: {{ line_count }} on a {{ model }}\n"));

        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7960", 2), templates);

        Assert.Equal(
            "line1_name: \"1001\"\nline1_shortname: \"Ann & Bob <S\"\nline1_password: \"s3cr;t #1\"\n" +
            "line2_name: \"1002\"\nline2_shortname: \"Zoe Nunez Lu\"\nline2_password: \"p@ss'word\"\n" +
            "lines: 2 on a 7960\n",
            Encoding.ASCII.GetString(result.Find("SIP001122AABBCC.cnf")!.Content));
    }

    [Fact]
    public void A_template_branches_per_model()
    {
        var templates = Templates((TemplateNames.SepMac, "<device>{% if model == \"7961\" %}<backlight/>{% else %}<plain/>{% endif %}</device>\n"));

        Assert.Equal("<device><backlight/></device>\n", Text(PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7961", 1), templates), "SEP001122AABBCC.cnf.xml"));
        Assert.Equal("<device><plain/></device>\n", Text(PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7942", 1), templates), "SEP001122AABBCC.cnf.xml"));
    }

    [Fact]
    public void A_later_series_phone_reads_the_sep_template_with_its_model_and_the_directory_url_escaped()
    {
        var site = TestSites.Site with { DirectoryUrl = "http://pbx.example.net:6970/directory?a=1&b=2" };
        var templates = Templates((TemplateNames.SepMac,
            "<device>{% if model == \"8841\" %}<series/>{% endif %}<directoryURL>{{ directory_url }}</directoryURL><lines>{{ line_count }}</lines></device>\n"));

        var later = PhoneFileSet.Render(site, TestSites.Phone("8841", 2), templates);
        var off = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7962", 1), templates);

        Assert.Equal("<device><series/><directoryURL>http://pbx.example.net:6970/directory?a=1&amp;b=2</directoryURL><lines>2</lines></device>\n", Text(later, "SEP001122AABBCC.cnf.xml"));
        Assert.Equal("<device><directoryURL></directoryURL><lines>1</lines></device>\n", Text(off, "SEP001122AABBCC.cnf.xml"));
        Assert.DoesNotContain(off.Warnings, w => w.Message.Contains("directory_url", StringComparison.Ordinal));
    }

    [Fact]
    public void The_xml_and_cnf_filters_apply_the_bridge_escaping_by_name()
    {
        var templates = Templates(
            (TemplateNames.SipMac, "xml: \"{{ line1_displayname | append: ' <&> ' | xml }}\"\ncnf: \"{{ 'say \"hi\"' | cnf }}\"\n"));

        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7940", 1), templates);

        Assert.Equal("xml: \"Ann &amp; Bob &lt;Sales&gt; &apos;Q&apos; &apos;x&apos; &lt;&amp;&gt; \"\ncnf: \"say hi\"\n", Encoding.ASCII.GetString(result.Find("SIP001122AABBCC.cnf")!.Content));
    }

    [Theory]
    [InlineData("<device>\n  {% if %}\n</device>\n", "template /etc/acb/templates/SEP{mac}.cnf.xml, line 2, column 8: Invalid 'if' tag")]
    [InlineData("<device>\n<x>{{ phone_label \n</device>\n", "template /etc/acb/templates/SEP{mac}.cnf.xml, line 2, column 18: End of tag '}}' was expected")]
    [InlineData("<device>\n<x>{{ phone_label }}</x>\n  <y>{{ phone_label | raw }}</y>\n</device>\n", "template /etc/acb/templates/SEP{mac}.cnf.xml, line 3, column 6: unknown filter 'raw'")]
    [InlineData("<device>\n<x>{{ lines | json }}</x>\n</device>\n", "template /etc/acb/templates/SEP{mac}.cnf.xml, line 2, column 4: unknown filter 'json'")]
    public void A_template_that_does_not_parse_names_the_file_line_and_column_and_the_phone_is_not_rendered(string template, string error)
    {
        var templates = Templates((TemplateNames.SepMac, template));

        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7962", 1), templates);

        Assert.Equal([error], templates.Errors);
        Assert.False(result.Succeeded);
        Assert.Equal([error], result.Errors);
        Assert.Empty(result.Files);
    }

    [Fact]
    public void A_template_that_fails_for_one_model_stops_that_phone_only()
    {
        var templates = Templates((TemplateNames.SepMac, "<device>{% if model == \"7961\" %}{{ 1 | divided_by: 0 }}{% endif %}</device>\n"));

        var failing = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7961", 1), templates);
        var other = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7942", 1), templates);

        Assert.Equal(["template /etc/acb/templates/SEP{mac}.cnf.xml: divided by 0 (while rendering SEP001122AABBCC.cnf.xml)"], failing.Errors);
        Assert.True(other.Succeeded);
        Assert.Equal("<device></device>\n", Text(other, "SEP001122AABBCC.cnf.xml"));
    }

    [Fact]
    public void A_runaway_loop_is_stopped_by_the_step_limit()
    {
        var templates = Templates((TemplateNames.SepMac, "{% for i in (1..100000000) %}x{% endfor %}"));

        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7962", 1), templates);

        Assert.Contains($"maximum number of {TemplateText.MaxSteps} steps", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_site_template_stops_the_phones_that_read_that_file_and_unbound_phones_get_the_built_in_file()
    {
        var templates = Templates((TemplateNames.SipDefault, "proxy1_address: \"{{ proxy1_address }\"\n"));

        var site = SiteFileSet.Render(TestSites.Site, templates);
        var reader = PhoneFileSet.Render(TestSites.Site, site, TestSites.Phone("7960", 1), templates);
        var other = PhoneFileSet.Render(TestSites.Site, site, TestSites.Phone("7961", 1), templates);

        var error = Assert.Single(site.TemplateErrors);
        Assert.Equal("SIPDefault.cnf", error.Key);
        Assert.StartsWith("template /etc/acb/templates/SIPDefault.cnf, line 1, column ", error.Value, StringComparison.Ordinal);
        Assert.Equal(SiteFileSet.Render(TestSites.Site).Get("SIPDefault.cnf").Content, site.Get("SIPDefault.cnf").Content);
        Assert.Equal([error.Value], reader.Errors);
        Assert.True(other.Succeeded);
    }

    [Fact]
    public void A_template_renders_the_same_bytes_every_time_even_when_it_asks_for_the_date()
    {
        var templates = Templates((TemplateNames.SepMac, "<device><d>{{ 'now' | date: '%Y' }}</d><v>{{ version_stamp }}</v></device>\n"));

        var first = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7962", 1), templates);
        var second = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7962", 1), templates);

        Assert.Equal(Text(first, "SEP001122AABBCC.cnf.xml"), Text(second, "SEP001122AABBCC.cnf.xml"));
        Assert.StartsWith("<device><d>1970</d>", Text(first, "SEP001122AABBCC.cnf.xml"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_example_renders_one_line_element_per_line()
    {
        // The indented block under "## Templates" in README.md, as an admin would copy it.
        var readme = File.ReadAllLines(Path.Combine(TestSites.RepositoryRoot(), "README.md"));
        var start = Array.IndexOf(readme, "## Templates");
        var example = string.Join('\n', readme.Skip(start + 1).SkipWhile(l => !l.StartsWith("    <device>", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l[4..])) + "\n";
        var templates = Templates((TemplateNames.SepMac, example));

        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7961", 2), templates);
        var text = Text(result, "SEP001122AABBCC.cnf.xml");

        Assert.Empty(templates.Errors);
        Assert.Equal(2, text.Split("<line button=").Length - 1);
        Assert.Contains("<line button=\"2\" lineIndex=\"2\">", text, StringComparison.Ordinal);
        Assert.Contains("<displayName>Ann &amp; Bob &lt;Sales&gt; &quot;Q&quot; &apos;x&apos;</displayName>", text, StringComparison.Ordinal);
        Assert.Contains("<backgroundImageAccess>true</backgroundImageAccess>", text, StringComparison.Ordinal);
        Assert.Contains($"<versionStamp>{result.VersionStamp}</versionStamp>", text, StringComparison.Ordinal);
    }
}
