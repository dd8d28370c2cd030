using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Firmware.Tests;

public sealed class PackageImportResultTests
{
    [Fact]
    public void Origins_name_each_load_by_its_package_and_a_bare_image_by_its_bin()
    {
        var results = new[]
        {
            new PackageImportResult("/tmp/cmterm-7941_7961-sip.9-4-2SR3-1.zip", PackageFormat.Zip, null, ["SIP41.9-4-2SR3-1S.loads", "apps41.9-4-2SR3-1S.sbn"], [], ["SIP41.9-4-2SR3-1S"]),
            new PackageImportResult("/tmp/P0S3-08-12-00.zip", PackageFormat.Zip, null, ["P0S3-08-12-00.loads", "P0S3-08-12-00.sb2", "P003-08-12-00.bin"], [], ["P0S3-08-12-00"]),
            new PackageImportResult("/tmp/old.zip", PackageFormat.Zip, null, ["P0S30800.bin"], [], []),
            PackageImportResult.Failed("/tmp/bad.zip", PackageFormat.Zip, "corrupt"),
        };

        var origins = PackageImportResult.Origins(results);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["SIP41.9-4-2SR3-1S"] = "cmterm-7941_7961-sip.9-4-2SR3-1.zip",
                ["P0S3-08-12-00"] = "P0S3-08-12-00.zip",
                ["P003-08-12-00"] = "P0S3-08-12-00.zip",
                ["P0S30800"] = "old.zip",
            }.OrderBy(p => p.Key, StringComparer.Ordinal),
            origins.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal("old.zip", origins["p0s30800"]);
    }
}
