using System.Text;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;
using Xunit;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class LoadsDescriptorTests
{
    [Fact]
    public void Parse_lists_the_components_after_a_binary_signature_header()
    {
        var load = SyntheticFirmware.Java("SIP11.9-4-2SR1-1S");

        var result = LoadsDescriptor.Parse(load["SIP11.9-4-2SR1-1S.loads"]);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(
            ["jar11sip.9-4-2SR1-1S.sbn", "apps11.9-4-2SR1-1S.sbn", "cnu11.9-4-2SR1-1S.sbn", "cvm11sip.9-4-2SR1-1S.sbn", "dsp11.9-4-2SR1-1S.sbn"],
            result.Descriptor!.Components);
        Assert.Equal(["SIP11.9-4-2SR1-1S"], result.Descriptor.MentionedLoads.Select(l => l.Name));
        Assert.Equal(LoadProtocol.Sip, result.Descriptor.InferProtocol());
    }

    [Theory]
    [InlineData("<LOADS><file>P003-08-12-00.sbn</file><file>P0S3-08-12-00.sb2</file></LOADS>")]
    [InlineData("P003-08-12-00.sbn,P0S3-08-12-00.sb2")]
    [InlineData("\r\n  P003-08-12-00.sbn\r\n\tP0S3-08-12-00.sb2\r\nP003-08-12-00.SBN\r\n")]
    [InlineData("image=\"P003-08-12-00.sbn\" app='P0S3-08-12-00.sb2'.")]
    public void Parse_finds_names_in_any_layout_once_each(string text)
    {
        var result = LoadsDescriptor.Parse(Encoding.ASCII.GetBytes(text));

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(["P003-08-12-00.sbn", "P0S3-08-12-00.sb2"], result.Descriptor!.Components);
    }

    [Fact]
    public void Parse_reads_sccp_from_the_component_names()
    {
        var result = LoadsDescriptor.Parse("jar41sccp.9-4-2.sbn cvm41sccp.9-4-2.sbn dsp41.9-4-2.sbn"u8);

        Assert.Equal(LoadProtocol.Sccp, result.Descriptor!.InferProtocol());
    }

    [Theory]
    [InlineData("", "the descriptor is empty", 0)]
    [InlineData("SIP41.9-4-2SR3-1S\nREADME.txt\n", "names no component files", 0)]
    [InlineData("jar41sip.sbn ../../etc/passwd.sbn", "component '../../etc/passwd.sbn' at byte 13 is not a plain file name", 0)]
    [InlineData("/tftpboot/apps41.sbn", "component '/tftpboot/apps41.sbn' at byte 0 is not a plain file name", 0)]
    [InlineData("C:apps41.sbn", "is not a plain file name", 0)]
    [InlineData("sub\\apps41.sbn", "is not a plain file name", 0)]
    [InlineData("a.sbn b.sbn c.sbn", "more than 2 component files", 0)]
    [InlineData("a.sbn", "more than the 4-byte limit", 4)]
    public void Parse_explains_a_bad_descriptor(string text, string reason, int maxBytes)
    {
        var limits = maxBytes > 0 ? new LoadsDescriptorLimits(MaxBytes: maxBytes) : new LoadsDescriptorLimits(MaxComponents: 2);

        var result = LoadsDescriptor.Parse(Encoding.ASCII.GetBytes(text), limits);

        Assert.False(result.IsValid);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_is_total_on_random_and_mutated_bytes()
    {
        var random = new Random(42);
        var valid = SyntheticFirmware.Java("SIP41.9-4-2SR3-1S")["SIP41.9-4-2SR3-1S.loads"];
        for (var i = 0; i < 5_000; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.Next(0, 600)];
                random.NextBytes(bytes);
            }
            else
            {
                bytes = (byte[])valid.Clone();
                for (var m = 0; m < 4; m++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                bytes = bytes[..random.Next(bytes.Length + 1)];
            }

            var result = LoadsDescriptor.Parse(bytes);

            Assert.True(result.IsValid ^ (result.Error is not null));
            if (result.IsValid)
            {
                Assert.All(result.Descriptor!.Components, c => Assert.DoesNotContain('/', c));
            }
        }
    }
}
