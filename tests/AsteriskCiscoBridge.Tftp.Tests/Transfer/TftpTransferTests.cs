using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Protocol;
using AsteriskCiscoBridge.Tftp.Transfer;

namespace AsteriskCiscoBridge.Tftp.Tests.Transfer;

public sealed class TftpTransferTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(100);
    private static readonly TftpRetryPolicy Retry = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), 3);

    private static TftpTransfer Create(int length, int blockSize = 512, int window = 1, bool options = false)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var parameters = options || blockSize != 512 || window != 1
            ? new TftpTransferParameters(blockSize, window, null, [new("blksize", blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture))])
            : TftpTransferParameters.Default;
        return new TftpTransfer(TftpContent.FromBytes(bytes, "test"), parameters, Retry);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(511, 1)]
    [InlineData(512, 2)]
    [InlineData(513, 2)]
    [InlineData(1024, 3)]
    public void A_file_ends_with_a_short_block_even_when_its_size_is_a_multiple_of_the_block_size(int length, long blocks)
    {
        var transfer = Create(length);
        Assert.Equal(blocks, transfer.TotalBlocks);

        var buffer = new byte[600];
        Assert.Equal(4 + (length % 512), transfer.WriteData(blocks, buffer));
    }

    [Fact]
    public void Lock_step_sends_the_next_block_on_each_ack_and_completes_on_the_last()
    {
        var transfer = Create(1100);

        var step = transfer.Start(T0);
        Assert.Equal((false, 1L, 1), (step.SendOptionAck, step.FirstBlock, step.Count));
        Assert.Equal(T0 + TimeSpan.FromSeconds(1), step.Deadline);

        step = transfer.OnAck(1, T0);
        Assert.Equal((2L, 1), (step.FirstBlock, step.Count));
        step = transfer.OnAck(2, T0);
        Assert.Equal((3L, 1), (step.FirstBlock, step.Count));
        step = transfer.OnAck(3, T0);
        Assert.Equal(TftpTransferStatus.Completed, step.Status);
        Assert.Equal(1100, transfer.BytesAcknowledged);
    }

    [Fact]
    public void A_duplicate_ack_sends_nothing_so_the_stream_is_never_doubled()
    {
        // The Sorcerer's Apprentice bug: answering a duplicate ACK n with DATA n+1 again doubles every packet from then on.
        var transfer = Create(2000);
        transfer.Start(T0);
        transfer.OnAck(1, T0);

        var duplicate = transfer.OnAck(1, T0 + TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, duplicate.Count);
        Assert.Equal(TftpTransferStatus.Running, duplicate.Status);
        Assert.Equal((3L, 1), (transfer.OnAck(2, T0).FirstBlock, 1));
    }

    [Fact]
    public void An_ack_for_a_block_not_yet_sent_or_long_gone_is_ignored()
    {
        var transfer = Create(5000);
        transfer.Start(T0);
        transfer.OnAck(1, T0);

        Assert.Equal(0, transfer.OnAck(7, T0).Count);
        Assert.Equal(0, transfer.OnAck(0, T0).Count);
        Assert.Equal(1, transfer.AcknowledgedBlocks);
    }

    [Fact]
    public void With_options_the_oack_comes_first_and_ack_0_starts_the_data()
    {
        var transfer = Create(3000, blockSize: 1428);

        var step = transfer.Start(T0);
        Assert.True(step.SendOptionAck);
        Assert.Equal(0, step.Count);

        Assert.Equal(0, transfer.OnAck(5, T0).Count);
        step = transfer.OnAck(0, T0);
        Assert.Equal((1L, 1), (step.FirstBlock, step.Count));
    }

    [Fact]
    public void A_lost_oack_is_sent_again_on_timeout()
    {
        var transfer = Create(3000, blockSize: 1428);
        transfer.Start(T0);

        var step = transfer.OnTimeout(T0 + TimeSpan.FromSeconds(1));

        Assert.True(step.SendOptionAck);
        Assert.Equal(1, transfer.Retransmits);
    }

    [Fact]
    public void Timeout_resends_from_the_first_unacknowledged_block_with_backoff_then_fails()
    {
        var transfer = Create(5000);
        transfer.Start(T0);
        transfer.OnAck(1, T0);

        Assert.Equal(0, transfer.OnTimeout(T0 + TimeSpan.FromMilliseconds(999)).Count);

        var now = T0 + TimeSpan.FromSeconds(1);
        var step = transfer.OnTimeout(now);
        Assert.Equal((2L, 1), (step.FirstBlock, step.Count));
        Assert.Equal(now + TimeSpan.FromSeconds(2), step.Deadline);

        now = step.Deadline;
        step = transfer.OnTimeout(now);
        Assert.Equal(now + TimeSpan.FromSeconds(4), step.Deadline);

        now = step.Deadline;
        step = transfer.OnTimeout(now);
        Assert.Equal(now + TimeSpan.FromSeconds(4), step.Deadline);

        step = transfer.OnTimeout(step.Deadline);
        Assert.Equal(TftpTransferStatus.Failed, step.Status);
        Assert.Equal(3, transfer.Retransmits);
        Assert.Contains("3 retransmissions", transfer.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ack_after_a_retransmission_resets_the_backoff()
    {
        var transfer = Create(5000);
        transfer.Start(T0);
        var step = transfer.OnTimeout(T0 + TimeSpan.FromSeconds(1));
        step = transfer.OnTimeout(step.Deadline);

        var now = step.Deadline - TimeSpan.FromSeconds(1);
        step = transfer.OnAck(1, now);

        Assert.Equal(now + TimeSpan.FromSeconds(1), step.Deadline);
    }

    [Fact]
    public void A_negotiated_timeout_is_kept_fixed()
    {
        var parameters = new TftpTransferParameters(512, 1, TimeSpan.FromSeconds(3), [new("timeout", "3")]);
        var transfer = new TftpTransfer(TftpContent.FromBytes(new byte[2000], "t"), parameters, Retry);
        var step = transfer.Start(T0);
        Assert.Equal(T0 + TimeSpan.FromSeconds(3), step.Deadline);

        step = transfer.OnTimeout(step.Deadline);
        var again = transfer.OnTimeout(step.Deadline);

        Assert.Equal(step.Deadline + TimeSpan.FromSeconds(3), again.Deadline);
    }

    [Fact]
    public void Windows_send_several_blocks_and_move_on_the_last_ack()
    {
        var transfer = Create(10 * 1000, blockSize: 1000, window: 4);
        transfer.Start(T0);

        var step = transfer.OnAck(0, T0);
        Assert.Equal((1L, 4), (step.FirstBlock, step.Count));
        step = transfer.OnAck(4, T0);
        Assert.Equal((5L, 4), (step.FirstBlock, step.Count));
        step = transfer.OnAck(8, T0);
        Assert.Equal((9L, 3), (step.FirstBlock, step.Count));
        Assert.Equal(0, transfer.Retransmits);
        Assert.Equal(TftpTransferStatus.Completed, transfer.OnAck(11, T0).Status);
    }

    [Fact]
    public void An_ack_inside_a_window_resends_from_the_block_after_it()
    {
        // RFC 7440 §4: the client lost block 3 and acknowledges 2.
        var transfer = Create(10 * 1000, blockSize: 1000, window: 4);
        transfer.Start(T0);
        transfer.OnAck(0, T0);

        var step = transfer.OnAck(2, T0);

        Assert.Equal((3L, 4), (step.FirstBlock, step.Count));
        Assert.Equal(2, transfer.Retransmits);
    }

    [Fact]
    public void A_window_timeout_resends_the_whole_window_from_the_first_unacknowledged_block()
    {
        var transfer = Create(10 * 1000, blockSize: 1000, window: 4);
        transfer.Start(T0);
        transfer.OnAck(0, T0);
        transfer.OnAck(4, T0);

        var step = transfer.OnTimeout(T0 + TimeSpan.FromSeconds(1));

        Assert.Equal((5L, 4), (step.FirstBlock, step.Count));
    }

    [Fact]
    public void Block_numbers_wrap_to_zero_after_65535_and_acks_follow()
    {
        // 70,000 blocks of 8 bytes: the wire numbers pass 65535 and start again at 0.
        const int blocks = 70_000;
        var transfer = new TftpTransfer(TftpContent.FromBytes(new byte[(blocks * 8) - 3], "t"), new(8, 1, null, [new("blksize", "8")]), Retry);
        transfer.Start(T0);
        var step = transfer.OnAck(0, T0);
        var buffer = new byte[12];
        while (step.Status == TftpTransferStatus.Running)
        {
            Assert.Equal(1, step.Count);
            transfer.WriteData(step.FirstBlock, buffer);
            var wire = (ushort)((buffer[2] << 8) | buffer[3]);
            Assert.Equal(unchecked((ushort)step.FirstBlock), wire);
            step = transfer.OnAck(wire, T0);
        }

        Assert.Equal(TftpTransferStatus.Completed, step.Status);
        Assert.Equal(blocks, transfer.AcknowledgedBlocks);
    }

    [Fact]
    public void A_client_error_ends_the_transfer_with_its_reason()
    {
        var transfer = Create(3000, blockSize: 1428);
        transfer.Start(T0);

        transfer.OnClientError(TftpErrorCode.OptionRefused, "blksize not acceptable");

        Assert.Equal(TftpTransferStatus.Failed, transfer.Status);
        Assert.Equal("client sent error 8: blksize not acceptable", transfer.FailureReason);
        Assert.Equal(0, transfer.OnAck(0, T0).Count);
    }

    [Fact]
    public void WriteData_copies_the_right_slice_of_the_content()
    {
        var bytes = Enumerable.Range(0, 1300).Select(i => (byte)i).ToArray();
        var transfer = new TftpTransfer(TftpContent.FromBytes(bytes, "t"), TftpTransferParameters.Default, Retry);
        var buffer = new byte[516];

        var length = transfer.WriteData(3, buffer);

        Assert.Equal(4 + 276, length);
        Assert.Equal(bytes[1024..], buffer[4..length]);
    }
}
