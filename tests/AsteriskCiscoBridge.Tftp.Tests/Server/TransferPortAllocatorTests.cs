using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

public sealed class TransferPortAllocatorTests
{
    [Fact]
    public void Next_without_a_range_lets_the_kernel_choose_once()
    {
        var ports = new TransferPortAllocator(null, null);

        Assert.Equal(1, ports.Attempts);
        Assert.Equal(0, ports.Next());
        Assert.Equal(0, ports.Next());
    }

    [Fact]
    public void Next_walks_the_range_and_wraps_at_its_end()
    {
        var ports = new TransferPortAllocator(50000, 50002);

        Assert.Equal(3, ports.Attempts);
        Assert.Equal([50000, 50001, 50002, 50000, 50001], Enumerable.Range(0, 5).Select(_ => ports.Next()));
    }

    [Fact]
    public void Exhausted_names_the_range_or_the_socket_error()
    {
        Assert.Equal("no free port in 50000–50002", new TransferPortAllocator(50000, 50002).Exhausted(null));
        Assert.Equal("no free port in 50000–50002: boom", new TransferPortAllocator(50000, 50002).Exhausted("boom"));
        Assert.Equal("no transfer socket: boom", new TransferPortAllocator(null, null).Exhausted("boom"));
    }

    [Fact]
    public void A_range_without_its_end_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new TransferPortAllocator(50000, null));
        Assert.Throws<ArgumentException>(() => new TransferPortAllocator(50002, 50000));
    }
}
