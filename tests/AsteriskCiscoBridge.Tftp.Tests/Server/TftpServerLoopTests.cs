using System.Text;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

/// <summary>The event loop: what one session's failure ends (that session) and what the loop's own death tells its host.</summary>
public sealed class TftpServerLoopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_loop_that_dies_faults_completion_with_the_cause()
    {
        await using var harness = new ServerHarness(before: [new DyingSource()]);
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("anything"), harness.EndPoint, Ct);

        var died = await Assert.ThrowsAsync<OutOfMemoryException>(() => harness.Server.Completion.WaitAsync(Wait, Ct));
        Assert.Equal("injected", died.Message);
    }

    [Fact]
    public async Task Completion_ends_without_error_when_the_server_is_disposed()
    {
        var harness = new ServerHarness();
        var completion = harness.Server.Completion;
        Assert.False(completion.IsCompleted);

        await harness.DisposeAsync();

        Assert.True(completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Content_that_throws_after_an_asynchronous_lookup_ends_its_transfer_only()
    {
        // An asynchronous lookup is completed on the loop outside the per-datagram handler: a bug in
        // the content there used to end the loop itself; one that finished before the server looked
        // left its session open for good.
        await using var harness = new ServerHarness(before: [new BrokenContentSource()]);
        using var victim = new TftpTestClient();
        await victim.SendAsync(TftpTestClient.ReadRequest("broken.txt"), harness.EndPoint, Ct);

        var failed = await harness.NextEventAsync(e => e.FileName == "broken.txt", Ct);

        Assert.Equal(TftpRequestOutcome.Failed, failed.Outcome);
        Assert.Contains("internal error: content bug", failed.Detail, StringComparison.Ordinal);
        Assert.False(harness.Server.Completion.IsCompleted);
        using var next = new TftpTestClient();
        Assert.Equal("fine", Encoding.ASCII.GetString((await next.DownloadAsync(harness.EndPoint, "fine.txt", Ct)).Bytes));
        // The last ACK reaches the server after the client has its bytes.
        await Eventually.TrueAsync(() => harness.Server.Counters.Active == 0, "both transfers over, no session left open", Ct);
    }

    private sealed class DyingSource : ITftpFileSource
    {
        public string Name => "dying";

        public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken) =>
            throw new OutOfMemoryException("injected");
    }

    private sealed class BrokenContentSource : ITftpFileSource
    {
        public string Name => "broken";

        public async ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return request.Path switch
            {
                "broken.txt" => TftpLookup.Found(new BrokenContent()),
                "fine.txt" => TftpLookup.Found(TftpContent.FromBytes("fine"u8.ToArray(), "fine")),
                _ => TftpLookup.NotHere,
            };
        }
    }

    private sealed class BrokenContent : TftpContent
    {
        public override long Length => 100;

        public override string Description => "broken";

        public override int Read(long offset, Span<byte> destination) => throw new InvalidOperationException("content bug");
    }
}
