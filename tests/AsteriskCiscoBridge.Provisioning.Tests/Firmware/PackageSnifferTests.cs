using System.Text;
using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class PackageSnifferTests
{
    public static TheoryData<string, byte[], PackageFormat> Heads => new()
    {
        { "cmterm-7941_7961-sip.9-4-2SR3-1.zip", [.. "PK\x03\x04rest"u8], PackageFormat.Zip },
        { "empty.zip", [.. "PK\x05\x06"u8, .. new byte[18]], PackageFormat.Zip },
        { "misnamed.cop", [.. "PK\x03\x04"u8], PackageFormat.Zip },
        { "cmterm-7911-sip.9-4-2SR1-1.cop", [0x1F, 0x8B, 0x08, 0], PackageFormat.GzipTar },
        { "package.bin.gz", [0x1F, 0x8B], PackageFormat.GzipTar },
        { "SIP41.tar", Tar(), PackageFormat.Tar },
        { "no-extension", Tar(), PackageFormat.Tar },
        { "cut.zip", [1, 2, 3], PackageFormat.Zip },
        { "cut.COP", [], PackageFormat.GzipTar },
        { "x.tar.gz", [0], PackageFormat.GzipTar },
        { "x.tgz", [0], PackageFormat.GzipTar },
        { "cut.tar", [0, 0], PackageFormat.Tar },
        { "readme.txt", [.. "hello"u8], PackageFormat.LooseFiles },
        { "/some/where/P0S3-08-12-00.cop.sgn", [.. "PK\x03\x04"u8], PackageFormat.SignedCop },
        { "pkg.cop.SHA512", [], PackageFormat.SignedCop },
    };

    [Theory]
    [MemberData(nameof(Heads))]
    public void Sniff_reads_the_first_bytes_then_the_name(string name, byte[] head, PackageFormat format)
    {
        Assert.Equal(format, PackageSniffer.Sniff(name, head));
    }

    [Theory]
    [InlineData("dsp41.9-4-2SR3-1S.zz")]
    [InlineData("SIP41.9-4-2SR3-1S.LOADS")]
    [InlineData("P0S3-08-12-00.sb2")]
    [InlineData("P003-08-12-00.bin")]
    [InlineData("ITLFile.tlv")]
    public void A_firmware_file_is_loose_whatever_its_bytes_look_like(string name)
    {
        Assert.Equal(PackageFormat.LooseFiles, PackageSniffer.Sniff(name, [0x1F, 0x8B, 0x08]));
        Assert.Equal(PackageFormat.LooseFiles, PackageSniffer.Sniff(name, [.. "PK\x03\x04"u8]));
    }

    [Fact]
    public void A_ustar_magic_short_of_its_end_is_not_a_tar()
    {
        var head = Tar()[..261];

        Assert.Equal(PackageFormat.LooseFiles, PackageSniffer.Sniff("package", head));
    }

    [Theory]
    [InlineData("inner.tar", true)]
    [InlineData("INNER.TAR.GZ", true)]
    [InlineData("x.tgz", true)]
    [InlineData("x.cop", false)]
    [InlineData("tar", false)]
    public void Nested_archives_are_tars(string name, bool nested)
    {
        Assert.Equal(nested, PackageSniffer.IsNestedArchive(name));
    }

    [Theory]
    [InlineData("x.cop.sgn", PackageFormat.SignedCop)]
    [InlineData("x.COP.SHA512", PackageFormat.SignedCop)]
    [InlineData("dir/P0S3-08-12-00.sb2", PackageFormat.LooseFiles)]
    [InlineData("x.zip", null)]
    [InlineData("x.cop", null)]
    [InlineData("readme", null)]
    public void Some_names_tell_the_format_alone(string name, PackageFormat? format)
    {
        Assert.Equal(format, PackageSniffer.ByNameAlone(name));
    }

    private static byte[] Tar()
    {
        var head = new byte[PackageSniffer.HeadLength];
        Encoding.ASCII.GetBytes("ustar").CopyTo(head, 257);
        return head;
    }
}
