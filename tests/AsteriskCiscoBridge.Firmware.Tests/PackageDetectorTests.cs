using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Firmware.Tests;

public sealed class PackageDetectorTests : IDisposable
{
    private readonly TempDirectory _temp = new("acb-fwdetect");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_first_bytes_of_the_file_decide_over_its_name()
    {
        var zip = _temp.Write("misnamed.cop", SyntheticFirmware.Zip([ArchiveEntry.File("a.sbn", [1])]));
        var tar = _temp.Write("package", SyntheticFirmware.Tar([ArchiveEntry.File("a.sbn", [1])]));
        var cut = _temp.Write("cut.zip", [1, 2]);
        var empty = _temp.Write("empty.tar.gz", []);

        Assert.Equal(PackageFormat.Zip, await PackageDetector.DetectAsync(zip, Ct));
        Assert.Equal(PackageFormat.Tar, await PackageDetector.DetectAsync(tar, Ct));
        Assert.Equal(PackageFormat.Zip, await PackageDetector.DetectAsync(cut, Ct));
        Assert.Equal(PackageFormat.GzipTar, await PackageDetector.DetectAsync(empty, Ct));
    }

    [Fact]
    public async Task A_firmware_file_or_signed_cop_is_told_by_its_name_without_opening_it()
    {
        // Neither file exists: opening one would throw.
        Assert.Equal(PackageFormat.LooseFiles, await PackageDetector.DetectAsync(Path.Combine(_temp.Path, "P0S3-08-12-00.sb2"), Ct));
        Assert.Equal(PackageFormat.SignedCop, await PackageDetector.DetectAsync(Path.Combine(_temp.Path, "x.cop.sgn"), Ct));
    }
}
