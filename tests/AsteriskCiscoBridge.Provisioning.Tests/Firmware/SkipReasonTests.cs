using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class SkipReasonTests
{
    [Fact]
    public void Skip_texts_that_name_something_say_it()
    {
        Assert.Equal("a link to '../apps?.sbn'; only regular files are imported", new SkippedFile("sub/alias.sbn", SkipReason.Link, "../apps\u0007.sbn").Reason);
        Assert.Equal("kept the firmware folder's TERM41.DEFAULT.LOADS, which differs (see acb firmware list)", new SkippedFile("term41.default.loads", SkipReason.KeptFolderTermDefault, "TERM41.DEFAULT.LOADS").Reason);
        Assert.Equal("already in the firmware folder, identical", new SkippedFile("x.sbn", SkipReason.IdenticalInFolder).Reason);
    }

    [Fact]
    public void Every_reason_has_a_sentence()
    {
        foreach (var reason in Enum.GetValues<SkipReason>())
        {
            var text = reason.Text("x");

            Assert.NotEqual(reason.ToString(), text);
            Assert.DoesNotContain('\n', text);
        }
    }
}
