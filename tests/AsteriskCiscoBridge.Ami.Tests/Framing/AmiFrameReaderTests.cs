using System.Buffers;
using System.Text;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests.Framing;

public sealed class AmiFrameReaderTests
{
    private static readonly AmiFrameLimits Limits = AmiFrameLimits.Default;

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(AmiFixtures.Root, "ami")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ReadFrame_fed_recorded_chunks_gives_the_recorded_messages(string scenario)
    {
        var expected = AmiFixtures.Messages(scenario).Where(m => m.Kind is "banner" or "response" or "event").ToList();
        var reader = new AmiFrameReader(Limits);
        var pending = new List<byte>();
        var frames = new List<AmiFrameResult>();
        foreach (var chunk in AmiFixtures.Transcript(scenario).Where(c => c.Direction == "s2c"))
        {
            pending.AddRange(chunk.Bytes);
            var buffer = new ReadOnlySequence<byte>([.. pending]);
            var consumed = 0L;
            while (true)
            {
                var result = reader.TryRead(buffer);
                Assert.NotEqual(AmiFrameStatus.Malformed, result.Status);
                if (result.Status == AmiFrameStatus.NeedMoreData)
                {
                    consumed += buffer.Slice(0, result.Consumed).Length;
                    break;
                }

                frames.Add(result);
                consumed += buffer.Slice(0, result.Consumed).Length;
                buffer = buffer.Slice(result.Consumed);
            }

            pending.RemoveRange(0, (int)consumed);
        }

        Assert.Empty(pending);
        Assert.Equal(expected.Count, frames.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Kind == "banner")
            {
                Assert.Equal(AmiFrameStatus.Banner, frames[i].Status);
                Assert.Equal(expected[i].Raw.TrimEnd('\r', '\n'), frames[i].Banner);
                continue;
            }

            var fields = frames[i].Message!.Fields;
            Assert.Equal(expected[i].Headers.Select(h => h.Key), fields.Select(f => f.Name));
            Assert.Equal(expected[i].Headers.Select(h => h.Value.TrimEnd('\n')), fields.Select(f => f.Value));
        }
    }

    [Theory]
    [InlineData("pjsip-show")]
    [InlineData("getconfig")]
    [InlineData("pipelined-actions")]
    [InlineData("misc-actions")]
    public void ReadFrame_one_byte_segments_parse_the_same_as_one_buffer(string scenario)
    {
        var bytes = AmiFixtures.ServerStream(scenario);
        var whole = ReadAll(new ReadOnlySequence<byte>(bytes));
        var split = ReadAll(SegmentedSequence.OneBytePerSegment(bytes));
        Assert.True(whole.Count > 3);
        Assert.Equal(whole.Count, split.Count);
        for (var i = 0; i < whole.Count; i++)
        {
            Assert.Equal(whole[i], split[i]);
        }
    }

    [Fact]
    public void ReadFrame_every_prefix_of_a_message_is_incomplete()
    {
        var bytes = AmiFixtures.Numbered("pjsip-show", "05-", "response");
        var firstMessageLength = Encoding.UTF8.GetString(bytes).IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        for (var length = 0; length < firstMessageLength; length++)
        {
            var reader = new AmiFrameReader(Limits, expectBanner: false);
            var result = reader.TryRead(new ReadOnlySequence<byte>(bytes, 0, length));
            Assert.Equal(AmiFrameStatus.NeedMoreData, result.Status);
        }

        var complete = new AmiFrameReader(Limits, expectBanner: false).TryRead(new ReadOnlySequence<byte>(bytes, 0, firstMessageLength));
        Assert.Equal(AmiFrameStatus.Message, complete.Status);
    }

    [Fact]
    public void ReadFrame_every_prefix_of_the_banner_is_incomplete_and_no_blank_line_is_awaited()
    {
        var banner = "Asterisk Call Manager/11.0.0\r\n"u8.ToArray();
        for (var length = 0; length < banner.Length; length++)
        {
            Assert.Equal(AmiFrameStatus.NeedMoreData, new AmiFrameReader(Limits).TryRead(new ReadOnlySequence<byte>(banner, 0, length)).Status);
        }

        var result = new AmiFrameReader(Limits).TryRead(new ReadOnlySequence<byte>(banner));
        Assert.Equal(AmiFrameStatus.Banner, result.Status);
        Assert.Equal("Asterisk Call Manager/11.0.0", result.Banner);
    }

    [Fact]
    public void ReadFrame_incremental_reads_resume_without_losing_a_straddling_terminator()
    {
        var bytes = "Response: Success\r\nActionID: a\r\n\r\n"u8.ToArray();
        var reader = new AmiFrameReader(Limits, expectBanner: false);
        for (var length = 1; length < bytes.Length; length++)
        {
            Assert.Equal(AmiFrameStatus.NeedMoreData, reader.TryRead(new ReadOnlySequence<byte>(bytes, 0, length)).Status);
        }

        var result = reader.TryRead(new ReadOnlySequence<byte>(bytes));
        Assert.Equal(AmiFrameStatus.Message, result.Status);
        Assert.Equal("a", result.Message!.ActionId);
    }

    [Fact]
    public void ReadFrame_a_1MB_list_with_events_inside_read_as_a_pipe_delivers_it_gives_every_message_in_order_at_linear_cost()
    {
        // Reliability catalogue case 24: a list of thousands of items (over 1 MB), unsolicited events after the
        // Response and between items, arriving in the recorded read sizes. The reader is handed what a pipe holds
        // (the unconsumed rest plus each new read), as AmiConnection's read loop does.
        var stream = RecordedListStream.Build(5000, 1000, out var events);
        Assert.True(stream.Length > 1024 * 1024, $"{stream.Length} bytes");
        var reads = new CountedReads(stream, RecordedListStream.RecordedReadSizes);
        var reader = new AmiFrameReader(Limits, expectBanner: false);
        var messages = new List<AmiMessage>();
        var from = reads.Start;
        for (var last = 0; last < reads.Count; last++)
        {
            var buffer = reads.Buffer(from, last);
            while (true)
            {
                var result = reader.TryRead(buffer);
                Assert.NotEqual(AmiFrameStatus.Malformed, result.Status);
                if (result.Status == AmiFrameStatus.NeedMoreData)
                {
                    // A pipe keeps from Consumed and waits for bytes past Examined: all it holds was looked at.
                    Assert.Equal(buffer.End, result.Examined);
                    from = result.Consumed;
                    break;
                }

                messages.Add(result.Message!);
                buffer = buffer.Slice(result.Consumed);
                from = result.Consumed;
            }
        }

        Assert.Equal(1 + 5000 + events.Count + 1, messages.Count);
        Assert.Equal("start", messages[0]["EventList"]);
        Assert.Equal("5000", messages[^1]["ListItems"]);
        Assert.Equal(Enumerable.Range(0, 5000).Select(RecordedListStream.ItemName), messages.Where(m => m.EventName == "EndpointList").Select(m => m["ObjectName"]));
        Assert.All(messages.Where(m => m.EventName == "EndpointList"), m => Assert.Equal(RecordedListStream.ActionId, m.ActionId));
        Assert.Equal(events, messages.Where(m => m.ActionId is null).Select(m => m.EventName));

        // Each read is looked at a few times when it arrives, and each field once or twice by its message's parse:
        // searching again what was searched would add looks at every earlier read on every read (reads² / 2).
        var fields = messages.Sum(m => m.Fields.Count);
        Assert.True(reads.Looks < (8L * reads.Count) + (2L * fields), $"{reads.Looks} looks at {reads.Count} reads for {fields} fields");
    }

    [Fact]
    public void ReadFrame_a_1MB_message_in_small_reads_is_searched_once_not_again_from_its_start_at_every_read()
    {
        // One GetConfig answer of a large pjsip.conf (recorded getconfig/02: its Response fields, then its Line-
        // values repeated past 1 MB) arriving in getconfig's recorded read sizes (tens of bytes): thousands of calls
        // before the blank line, each handed the whole message so far.
        var recorded = AmiFixtures.ParseMessages(AmiFixtures.Numbered("getconfig", "02-", "response"))[0];
        var head = recorded.Fields.Where(f => !f.Name.StartsWith("Line-", StringComparison.Ordinal) && !f.Name.StartsWith("Category-", StringComparison.Ordinal)).ToArray();
        var values = recorded.Fields.Where(f => f.Name.StartsWith("Line-", StringComparison.Ordinal)).Select(f => f.Value).ToArray();
        var text = new StringBuilder();
        foreach (var field in head)
        {
            text.Append(field.Name).Append(": ").Append(field.Value).Append("\r\n");
        }

        var lines = 0;
        for (; text.Length < 1024 * 1024; lines++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Line-{lines / 1000:D6}-{lines % 1000:D6}: {values[lines % values.Length]}\r\n");
        }

        var stream = Encoding.UTF8.GetBytes(text.Append("\r\n").ToString());
        var sizes = AmiFixtures.Transcript("getconfig").Where(c => c.Direction == "s2c").Skip(1).Select(c => c.Bytes.Length).ToArray();
        var reads = new CountedReads(stream, sizes);
        var reader = new AmiFrameReader(AmiFrameLimits.Default, expectBanner: false);
        AmiFrameResult result = default;
        for (var last = 0; last < reads.Count; last++)
        {
            result = reader.TryRead(reads.Buffer(reads.Start, last));
            Assert.Equal(last < reads.Count - 1 ? AmiFrameStatus.NeedMoreData : AmiFrameStatus.Message, result.Status);
        }

        Assert.True(reads.Count > 5000, $"{reads.Count} reads");
        Assert.Equal(head.Length + lines, result.Message!.Fields.Count);
        Assert.Equal(values[(lines - 1) % values.Length], result.Message.Fields[^1].Value);

        // A few looks per read as it arrives, one or two per field for the parse; searching (or walking) from the
        // message's start at every read would look at every earlier read again: reads² / 2, 158 million here.
        Assert.True(reads.Looks < (8L * reads.Count) + (2L * result.Message.Fields.Count), $"{reads.Looks} looks at {reads.Count} reads");
    }

    [Fact]
    public void ReadFrame_trims_the_bare_LF_Asterisk_puts_at_the_end_of_some_values()
    {
        var messages = AmiFixtures.ParseMessages(AmiFixtures.Numbered("pjsip-show", "10-", "response"));
        var message = Assert.Single(messages);
        Assert.Equal("Unable to retrieve endpoint 9999", message["Message"]);
    }

    [Fact]
    public void ReadFrame_keeps_empty_values_colons_in_values_and_utf8_split_across_segments()
    {
        var text = "Event: X\r\nOutboundAuths: \r\nVal: Zoë Müller: desk 3\r\nSetVar: CISCO_MAC=0006D7AA2A2E,CISCO_MODEL=CP-7945G\r\n\r\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        var split = Array.IndexOf(bytes, (byte)0xC3) + 1; // inside the two bytes of "ë"
        var sequence = SegmentedSequence.Create([bytes[..split], bytes[split..]]);
        var result = new AmiFrameReader(Limits, expectBanner: false).TryRead(sequence);
        Assert.Equal(AmiFrameStatus.Message, result.Status);
        var m = result.Message!;
        Assert.Equal(string.Empty, m["OutboundAuths"]);
        Assert.Equal("Zoë Müller: desk 3", m["val"]);
        Assert.Equal("CISCO_MAC=0006D7AA2A2E,CISCO_MODEL=CP-7945G", m["SetVar"]);
        Assert.Equal(AmiMessageKind.Event, m.Kind);
    }

    [Fact]
    public void ReadFrame_keeps_repeated_keys_in_order()
    {
        var messages = AmiFixtures.ParseMessages(AmiFixtures.Numbered("misc-actions", "05-", "response"));
        var output = messages[0].GetAll("Output");
        Assert.True(output.Count > 3);
        Assert.Equal(messages[0].Fields.Where(f => f.Name == "Output").Select(f => f.Value), output);
    }

    [Fact]
    public void ReadFrame_reads_legacy_Response_Follows_output()
    {
        var bytes = "Response: Follows\r\nPrivilege: Command\r\nActionID: 7\r\nAsterisk 13.1 built by me @ host on 2015-01-01 10:00:00 UTC\nline two\n--END COMMAND--\r\n\r\n"u8.ToArray();
        var result = new AmiFrameReader(Limits, expectBanner: false).TryRead(new ReadOnlySequence<byte>(bytes));
        Assert.Equal(AmiFrameStatus.Message, result.Status);
        Assert.Equal(["Asterisk 13.1 built by me @ host on 2015-01-01 10:00:00 UTC", "line two"], result.Message!.GetAll("Output"));
        Assert.Equal("7", result.Message.ActionId);
    }

    [Fact]
    public void ReadFrame_skips_stray_line_ends_between_messages()
    {
        var bytes = "\r\n\r\nEvent: A\r\n\r\n\r\nEvent: B\r\n\r\n"u8.ToArray();
        var messages = ReadAll(new ReadOnlySequence<byte>(bytes), expectBanner: false);
        Assert.Equal(["Event: A", "Event: B"], messages);
    }

    [Theory]
    [InlineData("Response: Success\r\nno colon here\r\n\r\n", AmiFrameError.MissingColon, 19)]
    [InlineData("Response: Success\r\n: value\r\n\r\n", AmiFrameError.InvalidFieldName, 19)]
    [InlineData("Response: Success\r\nBad Key: value\r\n\r\n", AmiFrameError.InvalidFieldName, 19)]
    [InlineData("\r\nhello\r\n\r\n", AmiFrameError.MissingColon, 2)]
    public void ReadFrame_malformed_lines_report_reason_and_position(string text, AmiFrameError error, long offset)
    {
        var result = new AmiFrameReader(Limits, expectBanner: false).TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(AmiFrameStatus.Malformed, result.Status);
        Assert.Equal(error, result.Error);
        Assert.Equal(offset, result.ErrorOffset);
        Assert.Contains(offset.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Response: Success\r\n")]
    [InlineData("\r\n")]
    [InlineData("no version\r\n")]
    public void ReadFrame_a_first_line_that_is_not_a_banner_is_malformed(string text)
    {
        var result = new AmiFrameReader(Limits).TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(AmiFrameStatus.Malformed, result.Status);
        Assert.Equal(AmiFrameError.InvalidBanner, result.Error);
        Assert.Equal(0, result.ErrorOffset);
    }

    [Fact]
    public void ReadFrame_line_longer_than_the_limit_is_malformed_at_its_start()
    {
        var limits = new AmiFrameLimits(64, 100, 10_000);
        var text = "Response: Success\r\nMessage: " + new string('x', 100) + "\r\n\r\n";
        var result = new AmiFrameReader(limits, expectBanner: false).TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(AmiFrameError.LineTooLong, result.Error);
        Assert.Equal(19, result.ErrorOffset);
    }

    [Fact]
    public void ReadFrame_message_without_end_beyond_the_limit_is_malformed_instead_of_buffering_forever()
    {
        var limits = new AmiFrameLimits(64, 100, 200);
        var reader = new AmiFrameReader(limits, expectBanner: false);
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Key: value\r\n", 30)));
        Assert.Equal(AmiFrameStatus.NeedMoreData, reader.TryRead(new ReadOnlySequence<byte>(bytes, 0, 150)).Status);
        var result = reader.TryRead(new ReadOnlySequence<byte>(bytes));
        Assert.Equal(AmiFrameStatus.Malformed, result.Status);
        Assert.Equal(AmiFrameError.MessageTooLarge, result.Error);
        Assert.Equal(200, result.ErrorOffset);
    }

    [Fact]
    public void ReadFrame_more_fields_than_the_limit_is_malformed_at_the_first_extra_field()
    {
        var limits = new AmiFrameLimits(64, 3, 10_000);
        var text = "Event: A\r\nB: 1\r\nC: 2\r\nD: 3\r\n\r\n";
        var result = new AmiFrameReader(limits, expectBanner: false).TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(AmiFrameError.TooManyFields, result.Error);
        Assert.Equal(22, result.ErrorOffset);
    }

    [Fact]
    public void ReadFrame_random_and_mutated_bytes_never_throw_and_always_make_progress_or_wait()
    {
        var random = new Random(20261122);
        var corpus = new[] { "pjsip-show", "getconfig", "registration-and-notify", "misc-actions" }
            .Select(AmiFixtures.ServerStream).ToArray();
        var limits = new AmiFrameLimits(4096, 500, 1 << 20);
        for (var round = 0; round < 400; round++)
        {
            byte[] input;
            if (round % 4 == 0)
            {
                input = new byte[random.Next(1, 4096)];
                random.NextBytes(input);
            }
            else
            {
                var source = corpus[round % corpus.Length];
                var start = random.Next(source.Length);
                input = source[start..Math.Min(source.Length, start + random.Next(1, 8192))];
                for (var m = random.Next(1, 20); m > 0; m--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
            }

            var reader = new AmiFrameReader(limits, expectBanner: round % 2 == 0);
            var buffer = random.Next(2) == 0 ? new ReadOnlySequence<byte>(input) : SegmentedSequence.Create(input.Chunk(random.Next(1, 64)));
            for (var step = 0; step < 10_000; step++)
            {
                var result = reader.TryRead(buffer);
                Assert.True(Enum.IsDefined(result.Status));
                if (result.Status is AmiFrameStatus.NeedMoreData or AmiFrameStatus.Malformed)
                {
                    Assert.Equal(result.Status == AmiFrameStatus.Malformed, result.Error != AmiFrameError.None);
                    break;
                }

                var next = buffer.Slice(result.Consumed);
                Assert.True(next.Length < buffer.Length, "a frame must consume bytes");
                buffer = next;
            }
        }
    }

    private static List<string> ReadAll(ReadOnlySequence<byte> buffer, bool expectBanner = true)
    {
        var reader = new AmiFrameReader(Limits, expectBanner);
        var messages = new List<string>();
        while (true)
        {
            var result = reader.TryRead(buffer);
            if (result.Status == AmiFrameStatus.NeedMoreData)
            {
                return messages;
            }

            Assert.NotEqual(AmiFrameStatus.Malformed, result.Status);
            messages.Add(result.Banner ?? string.Join("\n", result.Message!.Fields.Select(f => f.Name + ": " + f.Value)));
            buffer = buffer.Slice(result.Consumed);
        }
    }
}
