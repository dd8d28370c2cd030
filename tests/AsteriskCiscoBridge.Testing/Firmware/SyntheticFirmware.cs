using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace AsteriskCiscoBridge.Testing.Firmware;

/// <summary>A synthetic load: the descriptor and component files a real package of that name would carry, with random image bytes.</summary>
public sealed record SyntheticLoad(string Name, IReadOnlyList<(string Name, byte[] Bytes)> Files)
{
    public byte[] this[string name] => Files.First(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Bytes;

    public IEnumerable<string> Names => Files.Select(f => f.Name);

    /// <summary>The same load without one of its files (a package someone trimmed).</summary>
    public SyntheticLoad Without(string name) => this with { Files = [.. Files.Where(f => !string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))] };
}

/// <summary>One entry of a synthetic archive: a file, a folder, or a link (symbolic or hard) to <see cref="LinkTarget"/>.</summary>
public sealed record ArchiveEntry(string Name, byte[]? Bytes, string? LinkTarget = null, bool HardLink = false)
{
    public static ArchiveEntry File(string name, byte[] bytes) => new(name, bytes);

    public static ArchiveEntry Symlink(string name, string target) => new(name, null, target);

    public static ArchiveEntry Hardlink(string name, string target) => new(name, null, target, HardLink: true);
}

/// <summary>
/// Builds firmware packages the way Cisco ships them (spec §3.3): realistic names and <c>.loads</c> lists,
/// random image bytes, and every archive format (<c>.zip</c>, <c>.cop</c> = gzip tar, <c>.cop.sgn</c> =
/// signature header + gzip tar, <c>.tar</c>, <c>.tar.gz</c>), plus the malformed variants.
/// </summary>
public static class SyntheticFirmware
{
    /// <summary>Random bytes, repeatable per seed.</summary>
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// A <c>.loads</c> descriptor: a binary header standing for the signature (no printable runs in it), then
    /// the load name and one component per line, as a signed descriptor carries them.
    /// </summary>
    public static byte[] Descriptor(string? loadName, IEnumerable<string> components, int seed = 1)
    {
        var random = new Random(seed);
        var header = new byte[96];
        for (var i = 0; i < header.Length; i++)
        {
            var b = random.Next(0, 0x60);
            header[i] = (byte)(b < 0x20 ? b : b + 0x60);
        }

        var text = new StringBuilder();
        if (loadName is not null)
        {
            text.Append(loadName).Append('\n');
        }

        foreach (var component in components)
        {
            text.Append(component).Append('\n');
        }

        return [.. header, .. Encoding.ASCII.GetBytes(text.ToString())];
    }

    /// <summary>
    /// A 79x1 load such as <c>SIP41.9-4-2SR3-1S</c>: the descriptor and jar/apps/cnu/cvm/dsp components (spec §1.5 item 5),
    /// plus the <c>termNN.default.loads</c> files of its models (spec §1.5 item 7).
    /// </summary>
    public static SyntheticLoad Java(string loadName, int seed = 7, int imageSize = 4096, bool withTermDefaults = true)
    {
        var dot = loadName.IndexOf('.', StringComparison.Ordinal);
        var protocol = loadName[..dot].TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9').ToLowerInvariant();
        var code = loadName[protocol.Length..dot];
        var version = loadName[(dot + 1)..];
        string[] components =
        [
            $"jar{code}{protocol}.{version}.sbn",
            $"apps{code}.{version}.sbn",
            $"cnu{code}.{version}.sbn",
            $"cvm{code}{protocol}.{version}.sbn",
            $"dsp{code}.{version}.sbn",
        ];
        var files = new List<(string, byte[])> { ($"{loadName}.loads", Descriptor(loadName, components, seed)) };
        for (var i = 0; i < components.Length; i++)
        {
            files.Add((components[i], RandomBytes(imageSize + i, seed * 31 + i)));
        }

        if (withTermDefaults)
        {
            var models = code switch
            {
                "41" => new[] { "41", "61" },
                "42" => ["42", "62"],
                "45" => ["45", "65"],
                "70" => ["70", "71"],
                "11" => ["11", "06"],
                _ => [code],
            };
            foreach (var model in models)
            {
                files.Add(($"term{model}.default.loads", Descriptor(loadName, components, seed + 1)));
            }
        }

        return new SyntheticLoad(loadName, files);
    }

    /// <summary>
    /// A later series' load such as <c>sip88xx.14-2-1-0001-131</c> (spec beyond-79xx A3): the descriptor and the kernel,
    /// root file system, boot loader and DSP images a sip88xx package lists, named with its family code.
    /// </summary>
    public static SyntheticLoad Enterprise(string loadName, int seed = 13, int imageSize = 4096)
    {
        var dot = loadName.IndexOf('.', StringComparison.Ordinal);
        var code = loadName[3..dot].ToLowerInvariant();
        var version = loadName[(dot + 1)..];
        string[] components = [$"kern{code}.{version}.sbn", $"rootfs{code}.{version}.sbn", $"sboot{code}.{version}.sbn", $"dsp{code}.{version}.sbn"];
        var files = new List<(string, byte[])> { ($"{loadName}.loads", Descriptor(loadName, components, seed)) };
        for (var i = 0; i < components.Length; i++)
        {
            files.Add((components[i], RandomBytes(imageSize + i, seed * 37 + i)));
        }

        return new SyntheticLoad(loadName, files);
    }

    /// <summary>
    /// A 7940/7960 load such as <c>P0S3-08-12-00</c>: descriptor, signed application image (<c>.sb2</c>) and the
    /// loader files (<c>P003-….sbn</c>, <c>.bin</c>), as the seed's MGCP package lists them.
    /// </summary>
    public static SyntheticLoad Classic(string loadName, int seed = 11, int imageSize = 4096)
    {
        var loader = "P003" + loadName[4..];
        string[] components = [$"{loader}.sbn", $"{loadName}.sb2"];
        return new SyntheticLoad(loadName,
        [
            ($"{loadName}.loads", Descriptor(loadName, components, seed)),
            ($"{loader}.sbn", RandomBytes(imageSize, seed * 17)),
            ($"{loader}.bin", RandomBytes(imageSize + 3, seed * 19)),
            ($"{loadName}.sb2", RandomBytes(imageSize + 5, seed * 23)),
        ]);
    }

    public static IReadOnlyList<ArchiveEntry> Entries(SyntheticLoad load) => [.. load.Files.Select(f => ArchiveEntry.File(f.Name, f.Bytes))];

    public static byte[] Zip(IEnumerable<ArchiveEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                var zipEntry = zip.CreateEntry(entry.Name, CompressionLevel.Fastest);
                if (entry.LinkTarget is not null)
                {
                    // Unix mode in the high 16 bits of the external attributes: S_IFLNK | 0777, as Info-ZIP stores links.
                    zipEntry.ExternalAttributes = unchecked((int)((0xA000u | 0x1FFu) << 16));
                    using var link = zipEntry.Open();
                    link.Write(Encoding.UTF8.GetBytes(entry.LinkTarget));
                }
                else if (entry.Bytes is not null)
                {
                    using var stream = zipEntry.Open();
                    stream.Write(entry.Bytes);
                }
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Tar(IEnumerable<ArchiveEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                if (entry.LinkTarget is not null)
                {
                    tar.WriteEntry(new PaxTarEntry(entry.HardLink ? TarEntryType.HardLink : TarEntryType.SymbolicLink, entry.Name) { LinkName = entry.LinkTarget });
                }
                else if (entry.Bytes is null)
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, entry.Name));
                }
                else
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(entry.Bytes) });
                }
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }

    /// <summary>A <c>.cop</c> (old CUCM package): a gzip'd tar with <c>copstart.sh</c> and a <c>loadNNN.txt</c> (spec §3.3).</summary>
    public static byte[] Cop(IEnumerable<ArchiveEntry> entries) =>
        Gzip(Tar([.. entries, ArchiveEntry.File("copstart.sh", "#!/bin/bash\nexit 0\n"u8.ToArray()), ArchiveEntry.File("load307.txt", "307 SIP11.9-4-2SR1-1S 11\n"u8.ToArray())]));

    /// <summary>A <c>.cop.sgn</c>: a signature header (here with no gzip magic inside) prepended to the gzip'd tar (spec §3.3).</summary>
    public static byte[] CopSgn(IEnumerable<ArchiveEntry> entries, int headerLength = 300)
    {
        var header = RandomBytes(headerLength, 99);
        for (var i = 0; i + 1 < header.Length; i++)
        {
            if (header[i] == 0x1F && header[i + 1] == 0x8B)
            {
                header[i + 1] = 0;
            }
        }

        return [.. header, .. Cop(entries)];
    }
}
