using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Firmware.Tests;

public sealed class FirmwareImporterTests : IDisposable
{
    private readonly TempDirectory _temp = new("acb-fw");

    private string Folder => Path.Combine(_temp.Path, "firmware");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> Formats => new()
    {
        { "zip", "cmterm-7941_7961-sip.9-4-2SR3-1.zip" },
        { "cop", "cmterm-7941_7961-sip.9-4-2SR3-1.cop" },
        { "cop.sgn", "cmterm-7941_7961-sip.9-4-2SR3-1.cop.sgn" },
        { "tar", "SIP41.9-4-2SR3-1S.tar" },
        { "tar.gz", "SIP41.9-4-2SR3-1S.tar.gz" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Import_unpacks_every_format_byte_for_byte(string format, string fileName)
    {
        var load = SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", imageSize: 200_000);
        var package = _temp.Write(fileName, Build(format, SyntheticFirmware.Entries(load)));

        var result = Assert.Single(await Import(package));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["SIP41.9-4-2SR3-1S"], result.Loads);
        Assert.Equal(load.Names.Order(StringComparer.OrdinalIgnoreCase), result.Imported);
        foreach (var (name, bytes) in load.Files)
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(Folder, name), Ct));
        }

        Assert.Equal(load.Files.Count, Directory.GetFileSystemEntries(Folder).Length);
    }

    [Fact]
    public async Task Import_reports_files_and_bytes_as_a_package_unpacks()
    {
        var load = SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", imageSize: 3_000_000);
        var package = _temp.Write("big.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(load)));
        var reports = new ReportList();

        var result = Assert.Single(await new FirmwareImporter(Folder, progress: reports).ImportAsync([package], Ct));

        Assert.True(result.Succeeded, result.Error);
        Assert.All(reports.Items, r => Assert.Equal(package, r.Package));
        Assert.Equal(reports.Items.OrderBy(r => r.Files).ThenBy(r => r.Bytes), reports.Items);
        Assert.Contains(reports.Items, r => r.Bytes >= FirmwareImportProgress.ByteStep && r.Files < load.Files.Count);
        Assert.Equal(new FirmwareImportProgress(package, load.Files.Count, load.Files.Sum(f => (long)f.Bytes.Length)), reports.Items[^1]);
    }

    [Fact]
    public async Task Import_of_a_cop_leaves_the_cucm_installer_files_out()
    {
        var package = _temp.Write("cmterm-7911-sip.9-4-2SR1-1.cop", SyntheticFirmware.Cop(SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP11.9-4-2SR1-1S"))));

        var result = Assert.Single(await Import(package));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["copstart.sh", "load307.txt"], result.Skipped.Select(s => s.Name));
        Assert.False(File.Exists(Path.Combine(Folder, "copstart.sh")));
    }

    [Fact]
    public async Task Import_flattens_folders_and_nested_tars_and_skips_os79xx_txt()
    {
        var classic = SyntheticFirmware.Classic("P0S3-08-12-00");
        var inner = SyntheticFirmware.Tar(classic.Files.Select(f => ArchiveEntry.File("P0S3-08-12-00/" + f.Name, f.Bytes)));
        var package = _temp.Write("P0S3-08-12-00.cop.sgn", SyntheticFirmware.CopSgn([ArchiveEntry.File("inner.tar", inner), ArchiveEntry.File("OS79XX.TXT", "P003-08-12-00"u8.ToArray())]));

        var result = Assert.Single(await Import(package));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(classic["P0S3-08-12-00.sb2"], await File.ReadAllBytesAsync(Path.Combine(Folder, "P0S3-08-12-00.sb2"), Ct));
        Assert.Contains(result.Skipped, s => s.Name == "OS79XX.TXT" && s.Reason.Contains("writes OS79XX.TXT itself", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Loose_files_of_one_import_are_one_package()
    {
        var load = SyntheticFirmware.Classic("P0S3-08-12-00");
        var paths = load.Files.Select(f => _temp.Write(Path.Combine("loose", f.Name), f.Bytes)).ToArray();

        var result = Assert.Single(await Import(paths));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(PackageFormat.LooseFiles, result.Format);
        Assert.Equal(["P0S3-08-12-00"], result.Loads);
        Assert.Equal(load["P003-08-12-00.bin"], await File.ReadAllBytesAsync(Path.Combine(Folder, "P003-08-12-00.bin"), Ct));
    }

    [Fact]
    public async Task A_loose_image_is_copied_as_it_is_even_when_its_bytes_look_like_gzip()
    {
        var image = SyntheticFirmware.Gzip(SyntheticFirmware.RandomBytes(5000, 8));
        var descriptor = SyntheticFirmware.Descriptor("SIP41.9-4-2SR3-1S", ["dsp41.9-4-2SR3-1S.zz"]);

        var result = Assert.Single(await Import(_temp.Write("dsp41.9-4-2SR3-1S.zz", image), _temp.Write("SIP41.9-4-2SR3-1S.loads", descriptor)));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(image, await File.ReadAllBytesAsync(Path.Combine(Folder, "dsp41.9-4-2SR3-1S.zz"), Ct));
    }

    [Fact]
    public async Task A_package_named_cop_that_is_a_zip_unpacks_as_a_zip()
    {
        var package = _temp.Write("misnamed.cop", SyntheticFirmware.Zip(SyntheticFirmware.Entries(SyntheticFirmware.Classic("P0S3-08-12-00"))));

        var result = Assert.Single(await Import(package));

        Assert.Equal((true, PackageFormat.Zip), (result.Succeeded, result.Format));
    }

    [Fact]
    public async Task A_device_entry_refuses_the_package()
    {
        using var buffer = new MemoryStream();
        using (var tar = new System.Formats.Tar.TarWriter(buffer, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.CharacterDevice, "null.sbn"));
        }

        var result = Assert.Single(await Import(_temp.Write("dev.tar", buffer.ToArray())));

        Assert.Equal("entry 'null.sbn' is a CharacterDevice; only files and folders are accepted; nothing imported", result.Error);
        AssertFolderEmpty();
    }

    [Fact]
    public async Task Archive_metadata_is_skipped()
    {
        var entries = SyntheticFirmware.Entries(SyntheticFirmware.Classic("P0S3-08-12-00"))
            .Append(ArchiveEntry.File("__MACOSX/._P0S3-08-12-00.sb2", [0]))
            .Append(ArchiveEntry.File(".DS_Store", [0]));

        var result = Assert.Single(await Import(_temp.Write("mac.zip", SyntheticFirmware.Zip(entries))));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["__MACOSX/._P0S3-08-12-00.sb2", ".DS_Store"], result.Skipped.Select(s => s.Name));
        Assert.Equal(4, Directory.GetFiles(Folder).Length);
    }

    public static TheoryData<string, string, string> Malicious => new()
    {
        { "zip", "../evil.sbn", "entry '../evil.sbn' leaves the folder (..)" },
        { "tar", "a/../../evil.sbn", "entry 'a/../../evil.sbn' leaves the folder (..)" },
        { "tar.gz", "/etc/cron.d/evil", "entry '/etc/cron.d/evil' is an absolute path" },
        { "zip", "C:/Windows/evil.sbn", "entry 'C:/Windows/evil.sbn' is an absolute path" },
        { "tar", "..\\evil.sbn", "entry '..\\evil.sbn' leaves the folder (..)" },
    };

    [Theory]
    [MemberData(nameof(Malicious))]
    public async Task An_entry_that_leaves_the_folder_refuses_the_whole_package(string format, string name, string reason)
    {
        // The bad entry comes last, after every good file was unpacked: nothing may remain of them.
        var entries = SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S")).Append(ArchiveEntry.File(name, [1, 2, 3]));
        var package = _temp.Write("bad." + format, Build(format, entries));

        var result = Assert.Single(await Import(package));

        Assert.False(result.Succeeded);
        Assert.Equal(reason + "; nothing imported", result.Error);
        AssertFolderEmpty();
        Assert.False(File.Exists(Path.Combine(_temp.Path, "evil.sbn")));
    }

    public static TheoryData<string, string> Links => new()
    {
        { "tar", "../../etc/passwd" },
        { "tar", "/etc/shadow" },
        { "tar", "sub/../../outside" },
        { "zip", "/etc/shadow" },
        { "zip", "../x" },
        { "tar-hard", "../outside" },
        { "tar-hard", "/etc/passwd" },
    };

    [Theory]
    [MemberData(nameof(Links))]
    public async Task A_link_leaving_the_folder_refuses_the_package(string format, string target)
    {
        var link = format == "tar-hard" ? ArchiveEntry.Hardlink("term41.sbn", target) : ArchiveEntry.Symlink("term41.sbn", target);
        var entries = SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S")).Append(link);
        var package = _temp.Write("link." + (format == "zip" ? "zip" : "tar"), Build(format == "zip" ? "zip" : "tar", entries));

        var result = Assert.Single(await Import(package));

        Assert.False(result.Succeeded);
        Assert.Equal($"link 'term41.sbn' → '{target}' leaves the folder; nothing imported", result.Error);
        AssertFolderEmpty();
    }

    [Fact]
    public async Task A_link_inside_the_package_is_skipped_not_created()
    {
        var entries = SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S"))
            .Append(ArchiveEntry.Symlink("sub/alias.sbn", "../apps41.9-4-2SR3-1S.sbn"));
        var package = _temp.Write("links.tar", SyntheticFirmware.Tar(entries));

        var result = Assert.Single(await Import(package));

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(result.Skipped, s => s.Name == "sub/alias.sbn");
        Assert.False(File.Exists(Path.Combine(Folder, "alias.sbn")));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Folder), p => new FileInfo(p).LinkTarget is not null);
    }

    public static TheoryData<string, int> Truncations => new()
    {
        { "zip", 2 },
        { "zip", 3 },
        { "cop", 2 },
        { "cop", 3 },
        { "cop.sgn", 2 },
        { "tar.gz", 4 },
        { "tar", 2 },
    };

    [Theory]
    [MemberData(nameof(Truncations))]
    public async Task A_truncated_archive_imports_nothing_and_says_why(string format, int fraction)
    {
        var bytes = Build(format, SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", imageSize: 50_000)));
        var package = _temp.Write("cut." + format, bytes[..(bytes.Length * (fraction - 1) / fraction)]);

        var result = Assert.Single(await Import(package));

        Assert.False(result.Succeeded);
        Assert.Matches("^(corrupt or truncated .*|SIP41.9-4-2SR3-1S.loads needs .*, in neither the package nor the firmware folder \\(a partial package\\?\\)); nothing imported$", result.Error);
        AssertFolderEmpty();
    }

    [Theory]
    [InlineData("cop", 1)]
    [InlineData("cop", 4)]
    [InlineData("cop", 8)]
    [InlineData("cop.sgn", 4)]
    [InlineData("cop.sgn", 8)]
    [InlineData("tar.gz", 6)]
    public async Task A_gzip_cut_in_its_trailer_imports_nothing(string format, int cut)
    {
        // GZipStream reads a stream that stops inside or before the trailer as a clean end.
        var bytes = Build(format, SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S")));
        var package = _temp.Write("cut." + format, bytes[..^cut]);

        var result = Assert.Single(await Import(package));

        Assert.False(result.Succeeded);
        Assert.StartsWith("corrupt or truncated", result.Error, StringComparison.Ordinal);
        AssertFolderEmpty();
    }

    [Fact]
    public async Task A_tar_cut_at_an_entry_boundary_is_caught_by_its_missing_components()
    {
        var load = SyntheticFirmware.Java("SIP41.9-4-2SR3-1S");
        var package = _temp.Write("cut.tar", SyntheticFirmware.Tar(SyntheticFirmware.Entries(load.Without("dsp41.9-4-2SR3-1S.sbn"))));

        var result = Assert.Single(await Import(package));

        Assert.Equal("SIP41.9-4-2SR3-1S.loads needs dsp41.9-4-2SR3-1S.sbn, in neither the package nor the firmware folder (a partial package?); nothing imported", result.Error);
        AssertFolderEmpty();
    }

    [Fact]
    public async Task A_damaged_zip_entry_imports_nothing()
    {
        var bytes = SyntheticFirmware.Zip(SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", imageSize: 50_000)));
        for (var i = 2000; i < 2200; i++)
        {
            bytes[i] ^= 0x5A;
        }

        var result = Assert.Single(await Import(_temp.Write("damaged.zip", bytes)));

        Assert.StartsWith("corrupt or truncated zip archive", result.Error, StringComparison.Ordinal);
        AssertFolderEmpty();
    }

    [Theory]
    [InlineData("zip")]
    [InlineData("cop")]
    [InlineData("cop.sgn")]
    [InlineData("tar")]
    public async Task A_corrupt_package_leaves_the_loads_already_in_the_folder_as_they_were(string format)
    {
        var first = SyntheticFirmware.Classic("P0S3-08-12-00");
        Assert.True(Assert.Single(await Import(_temp.Write("first.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(first))))).Succeeded);
        var before = Directory.GetFiles(Folder).Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f) + " " + Convert.ToHexString(File.ReadAllBytes(f))).ToList();
        var bytes = Build(format, SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", imageSize: 50_000)));

        var result = Assert.Single(await Import(_temp.Write("cut." + format, bytes[..(bytes.Length / 2)])));

        Assert.False(result.Succeeded);
        Assert.EndsWith("; nothing imported", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error!);
        Assert.Equal(before, Directory.GetFiles(Folder).Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f) + " " + Convert.ToHexString(File.ReadAllBytes(f))).ToList());
        Assert.Empty(Directory.GetDirectories(Folder));
    }

    [Theory]
    [InlineData("zip")]
    [InlineData("tar.gz")]
    [InlineData("cop.sgn")]
    public async Task A_bomb_over_the_size_limit_imports_nothing(string format)
    {
        var zeros = new byte[8 * 1024 * 1024];
        var package = _temp.Write("bomb." + format, Build(format, [ArchiveEntry.File("dsp41.9-4-2SR3-1S.sbn", zeros)]));
        Assert.True(new FileInfo(package).Length < 200_000);

        var result = Assert.Single(await Import([package], new FirmwareImportLimits(MaxTotalBytes: 1024 * 1024)));

        Assert.Equal("the package unpacks to more than 1048576 bytes; nothing imported", result.Error);
        AssertFolderEmpty();
    }

    [Theory]
    [InlineData("zip", "the package has 50 entries, more than the limit of 20; nothing imported")]
    [InlineData("tar", "the package has more than 20 entries; nothing imported")]
    public async Task A_package_over_the_entry_limit_imports_nothing(string format, string reason)
    {
        var entries = Enumerable.Range(0, 50).Select(i => ArchiveEntry.File($"f{i}.sbn", [(byte)i]));
        var package = _temp.Write("many." + format, Build(format, entries));

        var result = Assert.Single(await Import([package], new FirmwareImportLimits(MaxEntries: 20)));

        Assert.Equal(reason, result.Error);
        AssertFolderEmpty();
    }

    [Fact]
    public async Task A_component_already_in_the_folder_completes_a_package()
    {
        var load = SyntheticFirmware.Classic("P0S3-08-12-00");
        Directory.CreateDirectory(Folder);
        await File.WriteAllBytesAsync(Path.Combine(Folder, "P003-08-12-00.sbn"), load["P003-08-12-00.sbn"], Ct);

        var result = Assert.Single(await Import(_temp.Write("p.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(load.Without("P003-08-12-00.sbn"))))));

        Assert.True(result.Succeeded, result.Error);
    }

    [Fact]
    public async Task A_different_file_of_the_same_name_refuses_the_package_and_keeps_the_folder()
    {
        var load = SyntheticFirmware.Java("SIP41.9-4-2SR3-1S");
        Directory.CreateDirectory(Folder);
        var existing = Path.Combine(Folder, "APPS41.9-4-2SR3-1S.SBN");
        await File.WriteAllBytesAsync(existing, [9, 9, 9], Ct);

        var result = Assert.Single(await Import(_temp.Write("p.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(load)))));

        Assert.Equal("apps41.9-4-2SR3-1S.sbn is already in the firmware folder with different content; nothing imported", result.Error);
        Assert.Equal([existing], Directory.GetFileSystemEntries(Folder));
        Assert.Equal([9, 9, 9], await File.ReadAllBytesAsync(existing, Ct));
    }

    [Fact]
    public async Task Importing_twice_skips_identical_files_and_keeps_the_first_term_defaults()
    {
        var sip = SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", seed: 5);
        var old = SyntheticFirmware.Java("SIP41.8-5-2S", seed: 6);
        Assert.Single(await Import(_temp.Write("a.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(sip)))));

        var again = Assert.Single(await Import(_temp.Write("b.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(sip)))));
        var other = Assert.Single(await Import(_temp.Write("c.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(old)))));

        Assert.True(again.Succeeded, again.Error);
        Assert.Empty(again.Imported);
        Assert.All(again.Skipped, s => Assert.Equal("already in the firmware folder, identical", s.Reason));
        Assert.True(other.Succeeded, other.Error);
        Assert.Contains(other.Skipped, s => s.Name == "term41.default.loads" && s.Reason.StartsWith("kept the firmware folder's", StringComparison.Ordinal));
        Assert.Equal(sip["term41.default.loads"], await File.ReadAllBytesAsync(Path.Combine(Folder, "term41.default.loads"), Ct));
    }

    [Fact]
    public async Task A_failure_while_moving_into_place_takes_back_what_was_moved()
    {
        // A folder where the third file must go makes its rename fail after two files were moved.
        Directory.CreateDirectory(Path.Combine(Folder, "P0S3-08-12-00.sb2"));
        var package = _temp.Write("p.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(SyntheticFirmware.Classic("P0S3-08-12-00"))));

        var result = Assert.Single(await Import(package));

        Assert.False(result.Succeeded);
        Assert.StartsWith("could not move the files into place (", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("; nothing imported", result.Error, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(Folder, "P0S3-08-12-00.sb2")], Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public async Task Archives_nested_deeper_than_the_limit_are_refused()
    {
        var inner = SyntheticFirmware.Tar(SyntheticFirmware.Entries(SyntheticFirmware.Classic("P0S3-08-12-00")));
        var middle = SyntheticFirmware.Tar([ArchiveEntry.File("inner.tar", inner)]);
        var package = _temp.Write("deep.tar.gz", SyntheticFirmware.Gzip(SyntheticFirmware.Tar([ArchiveEntry.File("middle.tar", middle)])));

        var refused = Assert.Single(await Import([package], new FirmwareImportLimits(MaxNesting: 1)));
        var accepted = Assert.Single(await Import([package], new FirmwareImportLimits(MaxNesting: 2)));

        Assert.Equal("'inner.tar' nests archives deeper than 1; nothing imported", refused.Error);
        Assert.True(accepted.Succeeded, accepted.Error);
    }

    [Fact]
    public async Task A_signed_cop_without_gzip_data_is_refused()
    {
        var package = _temp.Write("x.cop.sgn", SyntheticFirmware.RandomBytes(100, 3).Select(b => (byte)(b & 0x7F)).ToArray());

        var result = Assert.Single(await Import([package], new FirmwareImportLimits(SignatureSearchBytes: 64)));

        Assert.Equal("no gzip data within the first 64 bytes: not a signed .cop package; nothing imported", result.Error);
    }

    [Fact]
    public async Task Two_entries_with_one_name_refuse_the_package()
    {
        var package = _temp.Write("dup.zip", SyntheticFirmware.Zip([ArchiveEntry.File("a/x.sbn", [1]), ArchiveEntry.File("b/X.SBN", [2])]));

        var result = Assert.Single(await Import(package));

        Assert.Equal("two entries are named 'X.SBN'; nothing imported", result.Error);
        AssertFolderEmpty();
    }

    [Fact]
    public async Task A_bad_descriptor_refuses_the_package()
    {
        var package = _temp.Write("bad.zip", SyntheticFirmware.Zip([ArchiveEntry.File("SIP41.9-4-2SR3-1S.loads", "../../etc/passwd.sbn"u8.ToArray())]));

        var result = Assert.Single(await Import(package));

        Assert.Equal("SIP41.9-4-2SR3-1S.loads: component '../../etc/passwd.sbn' at byte 0 is not a plain file name; nothing imported", result.Error);
    }

    [Fact]
    public async Task Missing_paths_and_folders_are_reported_and_the_rest_imports()
    {
        var good = _temp.Write("good.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(SyntheticFirmware.Classic("P0S3-08-12-00"))));

        var results = await Import(Path.Combine(_temp.Path, "nope.zip"), _temp.Path, good);

        Assert.Equal([false, false, true], results.Select(r => r.Succeeded));
        Assert.EndsWith("nope.zip' does not exist", results[0].Error, StringComparison.Ordinal);
        Assert.EndsWith("is a folder: name the package or the files in it", results[1].Error, StringComparison.Ordinal);
    }

    private Task<IReadOnlyList<PackageImportResult>> Import(params string[] paths) => Import(paths, null);

    private Task<IReadOnlyList<PackageImportResult>> Import(string[] paths, FirmwareImportLimits? limits) =>
        new FirmwareImporter(Folder, limits).ImportAsync(paths, Ct);

    private void AssertFolderEmpty() => Assert.Empty(Directory.GetFileSystemEntries(Folder));

    private static byte[] Build(string format, IEnumerable<ArchiveEntry> entries) => format switch
    {
        "zip" => SyntheticFirmware.Zip(entries),
        "cop" => SyntheticFirmware.Cop(entries),
        "cop.sgn" => SyntheticFirmware.CopSgn(entries),
        "tar" => SyntheticFirmware.Tar(entries),
        "tar.gz" => SyntheticFirmware.Gzip(SyntheticFirmware.Tar(entries)),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Keeps every report in order, on the importer's own thread.</summary>
    private sealed class ReportList : IProgress<FirmwareImportProgress>
    {
        public List<FirmwareImportProgress> Items { get; } = [];

        public void Report(FirmwareImportProgress value) => Items.Add(value);
    }
}
