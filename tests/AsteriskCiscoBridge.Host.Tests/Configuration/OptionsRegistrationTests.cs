using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Host.Telemetry;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Telemetry;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AsteriskCiscoBridge.Host.Tests.Configuration;

/// <summary>The options bound per section, their generated validators, and what <c>acb run</c> registers first.</summary>
public sealed class OptionsRegistrationTests : IDisposable
{
    private readonly TempDirectory _folder = new("acb-options");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings => LoopbackRun.Settings(Path.Combine(_folder.Path, "firmware"), Path.Combine(_folder.Path, "acb.db"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public void AmiOptionsValidator_runs_the_options_own_rule_for_a_user_without_a_secret()
    {
        var result = new AmiOptionsValidator().Validate(null, new AmiOptions { Username = "bridge" });

        Assert.True(result.Failed);
        Assert.Contains("is not set, but Ami:Username is", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void StorageOptionsValidator_reads_the_time_span_range_of_the_retention()
    {
        Assert.True(new StorageOptionsValidator().Validate(null, new StorageOptions { RequestLogRetention = TimeSpan.FromMinutes(5) }).Failed);
        Assert.True(new StorageOptionsValidator().Validate(null, new StorageOptions()).Succeeded);
    }

    [Fact]
    public void OtlpOptionsValidator_refuses_an_endpoint_that_is_not_http()
    {
        var result = new OtlpOptionsValidator().Validate(null, new OtlpOptions { Endpoint = "ftp://collector" });

        Assert.True(result.Failed);
        Assert.Contains("is not an http:// or https:// URL", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_binds_each_section_once_and_hands_services_the_bound_value()
    {
        var settings = Settings;
        settings["Resync:Interval"] = "00:00:02";
        await using var app = RunCommand.Build([], null, settings);

        var bound = app.Services.GetRequiredService<IOptions<ResyncOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(2), bound.Interval);
        Assert.Same(bound, app.Services.GetRequiredService<ResyncOptions>());
    }

    [Fact]
    public async Task Build_keeps_a_time_provider_registered_first_for_every_service()
    {
        var clock = new CountingTimeProvider();
        await using var app = RunCommand.Build([], null, Settings, registerFirst: services => services.AddSingleton<TimeProvider>(clock));

        Assert.Same(clock, app.Services.GetRequiredService<TimeProvider>());
        Assert.Same(clock, app.Services.GetRequiredService<LoadPlanSource>().Time);
        Assert.Single(app.Services.GetServices<TimeProvider>());
    }

    [Fact]
    public async Task A_rule_that_fails_at_start_exits_2_with_its_line()
    {
        using var error = new StringWriter { NewLine = "\n" };

        var exit = await RunCommand.RunAsync(null, Settings, error, Ct, services =>
            services.AddSingleton<IValidateOptions<ResyncOptions>>(new Refusing("Resync:Interval is refused by this test")));

        Assert.Equal(2, exit);
        Assert.Equal("acb run: Resync:Interval is refused by this test\n", error.ToString());
    }

    private sealed class Refusing(string message) : IValidateOptions<ResyncOptions>
    {
        public ValidateOptionsResult Validate(string? name, ResyncOptions options) => ValidateOptionsResult.Fail(message);
    }
}
