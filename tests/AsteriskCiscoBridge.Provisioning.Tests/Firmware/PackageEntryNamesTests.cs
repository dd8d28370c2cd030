using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class PackageEntryNamesTests
{
    [Theory]
    [InlineData("../evil.sbn", "entry '../evil.sbn' leaves the folder (..)")]
    [InlineData("a/../../evil.sbn", "entry 'a/../../evil.sbn' leaves the folder (..)")]
    [InlineData("a/..", "entry 'a/..' leaves the folder (..)")]
    [InlineData("..\\evil.sbn", "entry '..\\evil.sbn' leaves the folder (..)")]
    [InlineData("/etc/cron.d/evil", "entry '/etc/cron.d/evil' is an absolute path")]
    [InlineData("\\\\server\\share\\x", "entry '\\\\server\\share\\x' is an absolute path")]
    [InlineData("C:/Windows/evil.sbn", "entry 'C:/Windows/evil.sbn' is an absolute path")]
    [InlineData("c:evil.sbn", "entry 'c:evil.sbn' is an absolute path")]
    [InlineData("evil\n.sbn", "entry 'evil?.sbn' has control characters in its name")]
    [InlineData("nul\0.sbn", "entry 'nul?.sbn' has control characters in its name")]
    public void Unsafe_names_are_refused_with_the_reason(string name, string reason)
    {
        Assert.Equal(reason, PackageEntryNames.Refusal(name));
    }

    [Theory]
    [InlineData("P0S3-08-12-00.sb2")]
    [InlineData("firmware/SIP41/jar41sip.9-4-2SR3-1S.sbn")]
    [InlineData("./a/./b.sbn")]
    [InlineData("a..b/..c.sbn")]
    [InlineData("folder/")]
    [InlineData("1:x")]
    public void Safe_names_pass(string name)
    {
        Assert.Null(PackageEntryNames.Refusal(name));
    }

    [Theory]
    [InlineData("sub/alias.sbn", "../apps41.sbn", true, false)]
    [InlineData("sub/alias.sbn", "./x/../y.sbn", true, false)]
    [InlineData("alias.sbn", "../apps41.sbn", true, true)]
    [InlineData("term41.sbn", "../../etc/passwd", true, true)]
    [InlineData("term41.sbn", "/etc/shadow", true, true)]
    [InlineData("term41.sbn", "", true, true)]
    [InlineData("term41.sbn", "D:\\x", true, true)]
    [InlineData("sub/deep/hard.sbn", "../x", false, true)]
    [InlineData("sub/deep/hard.sbn", "sub/x", false, false)]
    public void A_link_refuses_the_package_only_when_it_leaves_it(string name, string target, bool symbolic, bool refused)
    {
        var reason = PackageEntryNames.LinkRefusal(name, target, symbolic);

        Assert.Equal(refused ? $"link '{name}' → '{target}' leaves the folder" : null, reason);
    }

    [Fact]
    public void A_link_with_an_unsafe_name_is_refused_for_its_name()
    {
        Assert.Equal("entry '../x' leaves the folder (..)", PackageEntryNames.LinkRefusal("../x", "y", fromEntryFolder: true));
    }

    [Fact]
    public void A_device_is_refused_by_its_kind()
    {
        Assert.Equal("entry 'null.sbn' is a CharacterDevice; only files and folders are accepted", PackageEntryNames.NotAFile("null.sbn", "CharacterDevice"));
    }

    [Theory]
    [InlineData("a/b/c.sbn", "c.sbn")]
    [InlineData("a\\b\\C.SBN", "C.SBN")]
    [InlineData("c.sbn", "c.sbn")]
    [InlineData("folder/", "folder")]
    [InlineData("", "")]
    [InlineData("//", "")]
    public void The_folder_is_flat(string entry, string flat)
    {
        Assert.Equal(flat, PackageEntryNames.FlatName(entry));
    }

    [Theory]
    [InlineData("", "", SkipReason.NoFileName, "no file name")]
    [InlineData(".DS_Store", ".DS_Store", SkipReason.ArchiveMetadata, "archive metadata, not firmware")]
    [InlineData("__MACOSX/._P0S3-08-12-00.sb2", "._P0S3-08-12-00.sb2", SkipReason.ArchiveMetadata, "archive metadata, not firmware")]
    [InlineData("x/__MACOSX/y.sbn", "y.sbn", SkipReason.ArchiveMetadata, "archive metadata, not firmware")]
    [InlineData("copstart.sh", "copstart.sh", SkipReason.CucmInstallerFile, "CUCM installer file, not served to phones")]
    [InlineData("load307.txt", "load307.txt", SkipReason.CucmInstallerFile, "CUCM installer file, not served to phones")]
    [InlineData("OS79XX.TXT", "OS79XX.TXT", SkipReason.BridgeWritesOs79xx, "the bridge writes OS79XX.TXT itself")]
    [InlineData("a/os79xx.txt", "os79xx.txt", SkipReason.BridgeWritesOs79xx, "the bridge writes OS79XX.TXT itself")]
    public void Files_that_are_not_firmware_are_skipped_with_the_text_the_cli_prints(string entry, string name, SkipReason reason, string text)
    {
        Assert.Equal(reason, PackageEntryNames.Skip(entry, name));
        Assert.Equal(text, reason.Text());
    }

    [Theory]
    [InlineData("P0S3-08-12-00.sb2")]
    [InlineData("load.txt")]
    [InlineData("loadx307.txt")]
    [InlineData("readme-copstart.sh")]
    public void Firmware_files_are_not_skipped(string name)
    {
        Assert.Null(PackageEntryNames.Skip(name, name));
    }

    [Fact]
    public void Long_names_are_cut_in_messages()
    {
        var name = new string('a', 300);

        Assert.Equal(new string('a', 120) + "…", PackageEntryNames.Printable(name));
    }
}
