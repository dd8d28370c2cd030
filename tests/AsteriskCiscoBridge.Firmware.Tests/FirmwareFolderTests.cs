using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Firmware.Tests;

public sealed class FirmwareFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new("acb-fwfolder");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Scan_reads_the_root_and_leaves_dot_files_and_staging_folders_out()
    {
        var load = SyntheticFirmware.Classic("P0S3-08-12-00");
        foreach (var (name, bytes) in load.Files)
        {
            _temp.Write(name, bytes);
        }

        // A package half unpacked by an import running now, and an editor's dot-file: neither is the catalog's.
        _temp.Write(Path.Combine(".acb-import-0123", "SIP41.9-4-2SR3-1S.loads"), SyntheticFirmware.Descriptor("SIP41.9-4-2SR3-1S", ["x.sbn"]));
        _temp.Write(".P0S3-08-12-01.loads", SyntheticFirmware.Descriptor("P0S3-08-12-01", ["y.sbn"]));
        _temp.Write(Path.Combine("sub", "P0S3-08-12-02.loads"), SyntheticFirmware.Descriptor("P0S3-08-12-02", ["z.sbn"]));

        var catalog = await FirmwareFolder.ScanAsync(_temp.Path, Ct);

        var entry = Assert.Single(catalog.Loads);
        Assert.Equal(("P0S3-08-12-00", true), (entry.Name, entry.IsComplete));
    }

    [Fact]
    public async Task A_descriptor_over_the_limit_is_reported_not_read()
    {
        _temp.Write("P0S3-08-12-00.loads", new byte[300]);

        var catalog = await FirmwareFolder.ScanAsync(_temp.Path, Ct, new LoadsDescriptorLimits(MaxBytes: 100));

        var entry = Assert.Single(catalog.Loads);
        Assert.False(entry.IsComplete);
        Assert.Equal("P0S3-08-12-00.loads is 300 bytes, more than a load descriptor can be (100)", entry.Problem);
    }

    [Fact]
    public void The_folder_defaults_to_data_firmware_under_the_current_directory()
    {
        Assert.Equal(Path.GetFullPath(Path.Combine("data", "firmware")), FirmwareFolder.DirectoryOf(null));
        Assert.Equal(Path.GetFullPath("fw"), FirmwareFolder.DirectoryOf("fw"));
    }
}
