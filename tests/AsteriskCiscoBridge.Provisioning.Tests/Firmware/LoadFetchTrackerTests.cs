using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Testing.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class LoadFetchTrackerTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly SyntheticLoad Hop = SyntheticFirmware.Java("SIP41.8-5-2S", seed: 1, withTermDefaults: false);
    private static readonly FirmwareCatalog Catalog = CatalogFiles.Catalog(Hop, SyntheticFirmware.Classic("P0S3-08-12-00"));

    [Fact]
    public void A_phone_served_every_file_of_a_load_runs_it()
    {
        var tracker = new LoadFetchTracker();
        Assert.Null(tracker.Observe("10.0.0.5", Mac, "SEP0011223344AA.cnf.xml", served: true, Catalog));

        var seen = Hop.Names.Select(name => tracker.Observe("10.0.0.5", null, name, served: true, Catalog)).ToList();

        Assert.All(seen.SkipLast(1), Assert.Null);
        Assert.Equal(new LoadSeen(Mac, "SIP41.8-5-2S", "tftp: fetched all 6 files of SIP41.8-5-2S"), seen[^1]);
    }

    [Fact]
    public void A_missing_or_refused_file_means_the_phone_still_runs_its_old_load()
    {
        var tracker = new LoadFetchTracker();
        tracker.Observe("10.0.0.5", Mac, "SEP0011223344AA.cnf.xml", served: true, Catalog);

        var results = Hop.Names.Select(name => tracker.Observe("10.0.0.5", null, name, served: !name.StartsWith("dsp", StringComparison.Ordinal), Catalog)).ToList();

        Assert.All(results, Assert.Null);
    }

    [Fact]
    public void Load_files_are_tied_to_the_phone_that_last_asked_for_its_own_file_from_that_address()
    {
        var tracker = new LoadFetchTracker();
        var other = MacAddress.Parse("0011223344BB").Mac!.Value;
        tracker.Observe("10.0.0.5", Mac, "SEP0011223344AA.cnf.xml", served: true, Catalog);
        tracker.Observe("10.0.0.6", other, "SIP0011223344BB.cnf", served: true, Catalog);

        var classic = new[] { "P0S3-08-12-00.loads", "P003-08-12-00.sbn", "P0S3-08-12-00.sb2" }.Select(n => tracker.Observe("10.0.0.6", null, n, true, Catalog)).ToList()[^1];
        var unknownClient = Hop.Names.Select(n => tracker.Observe("10.0.0.7", null, n, true, Catalog)).ToList()[^1];
        var componentsFirst = Hop.Names.Reverse().Select(n => tracker.Observe("10.0.0.5", null, n, true, Catalog)).ToList()[^1];

        Assert.Equal(new LoadSeen(other, "P0S3-08-12-00", "tftp: fetched all 3 files of P0S3-08-12-00"), classic);
        Assert.Null(unknownClient);
        Assert.Null(componentsFirst);
    }

    [Fact]
    public void A_7960_converting_through_os79xx_txt_is_named_by_its_first_own_file_after_the_download()
    {
        var tracker = new LoadFetchTracker();
        var classic = new[] { "OS79XX.TXT", "P0S3-08-12-00.loads", "P003-08-12-00.sbn", "P0S3-08-12-00.sb2", "OS79XX.TXT", "SIPDefault.cnf" }
            .Select(n => tracker.Observe("10.0.0.9", null, n, true, Catalog)).ToList();

        var named = tracker.Observe("10.0.0.9", Mac, "SIP0011223344AA.cnf", true, Catalog);
        var again = tracker.Observe("10.0.0.9", Mac, "SIP0011223344AA.cnf", true, Catalog);

        Assert.All(classic, Assert.Null);
        Assert.Equal(new LoadSeen(Mac, "P0S3-08-12-00", "tftp: fetched all 3 files of P0S3-08-12-00 (phone known by its address)"), named);
        Assert.Null(again);
    }

    [Fact]
    public void The_tracker_stays_bounded_and_keeps_working()
    {
        var tracker = new LoadFetchTracker(capacity: 4);
        for (var i = 0; i < 50; i++)
        {
            tracker.Observe($"10.0.1.{i}", MacAddress.Parse($"0011223344{i:X2}").Mac!.Value, "SEP.cnf.xml", true, Catalog);
        }

        tracker.Observe("10.0.0.5", Mac, "SEP0011223344AA.cnf.xml", served: true, Catalog);
        Assert.Equal("SIP41.8-5-2S", Hop.Names.Select(n => tracker.Observe("10.0.0.5", null, n, true, Catalog)).ToList()[^1]?.Load);
    }
}
