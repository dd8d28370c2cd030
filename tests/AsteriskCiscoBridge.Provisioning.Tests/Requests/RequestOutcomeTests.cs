using AsteriskCiscoBridge.Provisioning.Requests;

namespace AsteriskCiscoBridge.Provisioning.Tests.Requests;

public sealed class RequestOutcomeTests
{
    [Theory]
    [InlineData("served: store: SEP0011223344AA.cnf.xml", RequestOutcomeKind.Served, "store: SEP0011223344AA.cnf.xml")]
    [InlineData("notfound: no file source has it", RequestOutcomeKind.NotFound, "no file source has it")]
    [InlineData("not-found: x", RequestOutcomeKind.NotFound, "x")]
    [InlineData("denied: name refused: ..", RequestOutcomeKind.Denied, "name refused: ..")]
    [InlineData("malformed: ", RequestOutcomeKind.Malformed, "")]
    [InlineData("OptionRefused: blksize 3", RequestOutcomeKind.OptionRefused, "blksize 3")]
    [InlineData("busy: transfers per client", RequestOutcomeKind.Busy, "transfers per client")]
    [InlineData("failed: the client stopped acknowledging", RequestOutcomeKind.Failed, "the client stopped acknowledging")]
    [InlineData("head: store: SEP0011223344AA.cnf.xml", RequestOutcomeKind.Head, "store: SEP0011223344AA.cnf.xml")]
    [InlineData("served", RequestOutcomeKind.Served, "")]
    [InlineData("something new: x", RequestOutcomeKind.Other, "something new: x")]
    [InlineData("", RequestOutcomeKind.Other, "")]
    public void Parse_reads_the_kind_before_the_first_colon_in_any_case(string text, RequestOutcomeKind kind, string detail)
    {
        Assert.Equal(new RequestOutcome(kind, detail), RequestOutcome.Parse(text));
    }

    [Theory]
    [InlineData("served: store: SEP0011223344AA.cnf.xml")]
    [InlineData("notfound: no file source has it")]
    [InlineData("denied: 0011223344AA is pinned to 10.0.0.5, asked from 10.0.0.9")]
    [InlineData("optionrefused: blksize 3")]
    [InlineData("malformed: ")]
    [InlineData("head: disk: P0S3-08-12-00.sb2")]
    [InlineData("something new: x")]
    public void The_text_written_is_the_text_read(string text)
    {
        Assert.Equal(text, RequestOutcome.Parse(text).ToString());
    }

    [Fact]
    public void Every_kind_is_written_as_older_versions_wrote_it()
    {
        // TftpRequestOutcome's names in lower case, and HTTP's head: rows already stored say these.
        string[] expected = ["", "served", "notfound", "denied", "malformed", "optionrefused", "busy", "failed", "head"];

        Assert.Equal(expected, Enum.GetValues<RequestOutcomeKind>().Select(RequestOutcome.NameOf));
        Assert.All(Enum.GetValues<RequestOutcomeKind>().Skip(1), k => Assert.Equal(k, RequestOutcome.Parse(new RequestOutcome(k, "d").ToString()).Kind));
    }

    [Fact]
    public void Default_has_an_empty_detail_not_null()
    {
        Assert.Equal(string.Empty, default(RequestOutcome).Detail);
        Assert.Equal(string.Empty, default(RequestOutcome).ToString());
    }
}
