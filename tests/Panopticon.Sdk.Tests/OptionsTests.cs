using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.Configuration;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("ApiKey", null, "Panopticon:ApiKey is required")]
    [InlineData("ApiKey", "   ", "Panopticon:ApiKey is required")]
    [InlineData("Endpoint", "htps://x", "Panopticon:Endpoint 'htps://x' must be an absolute http(s) URL.")]
    [InlineData("Endpoint", "not a url", "Panopticon:Endpoint 'not a url' must be an absolute http(s) URL.")]
    [InlineData("Endpoint", "/relative", "Panopticon:Endpoint '/relative' must be an absolute http(s) URL.")]
    [InlineData("Endpoint", "ftp://producer.example.com", "Panopticon:Endpoint 'ftp://producer.example.com' must be an absolute http(s) URL.")]
    [InlineData("Endpoint", "http://producer.example.com", "Panopticon:Endpoint 'http://producer.example.com' uses plain http to a non-loopback host")]
    [InlineData("LogEndpoint", "http://10.1.2.3/logs", "Panopticon:LogEndpoint 'http://10.1.2.3/logs' uses plain http")]
    [InlineData("TraceEndpoint", "relative/spans", "Panopticon:TraceEndpoint 'relative/spans' must be an absolute http(s) URL.")]
    [InlineData("BatchSize", "0", "Panopticon:BatchSize '0' must be at least 1.")]
    [InlineData("MaxQueueSize", "50", "Panopticon:MaxQueueSize '50' must be at least Panopticon:BatchSize (100).")]
    [InlineData("FlushInterval", "00:00:00", "Panopticon:FlushInterval '00:00:00' must be a positive time span.")]
    [InlineData("ExportTimeout", "-00:00:01", "Panopticon:ExportTimeout '-00:00:01' must be a positive time span.")]
    [InlineData("ShutdownTimeout", "00:00:00", "Panopticon:ShutdownTimeout '00:00:00' must be a positive time span.")]
    [InlineData("MaxRetryAttempts", "-1", "Panopticon:MaxRetryAttempts '-1' must be at least 0.")]
    [InlineData("MaxBatchBytes", "10", "Panopticon:MaxBatchBytes '10' must be at least 1024.")]
    [InlineData("MaxValueLength", "63", "Panopticon:MaxValueLength '63' must be at least 64.")]
    [InlineData("TracesSampleRatio", "1.5", "Panopticon:TracesSampleRatio '1.5' must be between 0 and 1.")]
    [InlineData("TracesSampleRatio", "-0.1", "Panopticon:TracesSampleRatio '-0.1' must be between 0 and 1.")]
    [InlineData("MaxTracesPerSecond", "0", "Panopticon:MaxTracesPerSecond '0' must be a positive number (leave it unset for no limit).")]
    [InlineData("MaxPendingTraces", "0", "Panopticon:MaxPendingTraces '0' must be at least 1.")]
    public async Task Invalid_options_fail_host_startup_naming_the_option(string option, string? value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Panopticon:ApiKey"] = "secret-key-value" };
        settings[$"Panopticon:{option}"] = value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPanopticon(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("secret-key-value", error.Message);
    }

    [Fact]
    public void Plain_http_to_loopback_is_allowed_and_elsewhere_only_with_the_opt_in()
    {
        var validator = new PanopticonOptionsValidator();

        Assert.True(validator.Validate(null, Valid(o => o.Endpoint = "http://127.0.0.1:5080")).Succeeded);
        Assert.True(validator.Validate(null, Valid(o => o.Endpoint = "http://localhost:5080")).Succeeded);
        Assert.True(validator.Validate(null, Valid(o => o.Endpoint = "http://[::1]:5080")).Succeeded);
        Assert.True(validator.Validate(null, Valid(o => { o.Endpoint = "http://producer.internal"; o.AllowInsecureHttp = true; })).Succeeded);
        Assert.True(validator.Validate(null, Valid(o => o.Endpoint = "http://producer.internal")).Failed);
    }

    [Fact]
    public void An_endpoint_with_credentials_is_refused_without_echoing_them()
    {
        var result = new PanopticonOptionsValidator().Validate(null, Valid(o => o.Endpoint = "https://user:hunter2@producer.example.com"));

        Assert.True(result.Failed);
        Assert.Contains("Panopticon:Endpoint 'https://***@producer.example.com' must not contain user credentials", result.FailureMessage);
        Assert.DoesNotContain("hunter2", result.FailureMessage);
    }

    [Fact]
    public void Every_message_echoes_its_value_and_none_echoes_the_api_key()
    {
        const string Key = "pk_live_9f3a7c1e";
        var result = new PanopticonOptionsValidator().Validate(null, new PanopticonOptions
        {
            ApiKey = Key,
            Endpoint = "htps://x",
            LogEndpoint = $"https://{Key}@producer.example.com/logs",
            TraceEndpoint = $"htps://user:{Key}@x/traces",
            ServiceName = "",
            Environment = " ",
            BatchSize = 0,
            MaxQueueSize = -5,
            MaxRetryAttempts = -2,
            MaxBatchBytes = 100,
            MaxValueLength = 10,
            FlushInterval = TimeSpan.Zero,
            ExportTimeout = TimeSpan.FromSeconds(-3),
            MaxRetryDuration = TimeSpan.Zero,
            ShutdownTimeout = TimeSpan.FromSeconds(-1),
            Compression = (PanopticonCompression)7,
            OverflowPolicy = (PanopticonOverflowPolicy)9,
        });

        Assert.Equal(
        [
            "Panopticon:Endpoint 'htps://x' must be an absolute http(s) URL.",
            "Panopticon:LogEndpoint 'https://***@producer.example.com/logs' must not contain user credentials; use ApiKey.",
            "Panopticon:TraceEndpoint 'htps://***@x/traces' must be an absolute http(s) URL.",
            "Panopticon:ServiceName '' must not be empty.",
            "Panopticon:Environment ' ' must not be empty.",
            "Panopticon:BatchSize '0' must be at least 1.",
            "Panopticon:MaxQueueSize '-5' must be at least 1.",
            "Panopticon:MaxRetryAttempts '-2' must be at least 0.",
            "Panopticon:MaxBatchBytes '100' must be at least 1024.",
            "Panopticon:MaxValueLength '10' must be at least 64.",
            "Panopticon:FlushInterval '00:00:00' must be a positive time span.",
            "Panopticon:ExportTimeout '-00:00:03' must be a positive time span.",
            "Panopticon:MaxRetryDuration '00:00:00' must be a positive time span.",
            "Panopticon:ShutdownTimeout '-00:00:01' must be a positive time span.",
            "Panopticon:Compression '7' is not one of None, Gzip.",
            "Panopticon:OverflowPolicy '9' is not one of DropOldest, DropNewest.",
        ], result.Failures);
        Assert.DoesNotContain(Key, result.FailureMessage);
    }

    [Fact]
    public void A_missing_api_key_says_where_to_set_it_and_echoes_nothing()
    {
        var result = new PanopticonOptionsValidator().Validate(null, Valid(o => o.ApiKey = "  "));

        Assert.Equal(
            "Panopticon:ApiKey is required: set it in configuration, with the PANOPTICON_API_KEY environment variable or in code (or set Panopticon:Enabled to false to run without Panopticon).",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void Disabled_sdk_skips_validation()
    {
        Assert.True(new PanopticonOptionsValidator().Validate(null, new PanopticonOptions { Enabled = false, ApiKey = null, BatchSize = 0 }).Skipped);
    }

    [Fact]
    public void Environment_variables_fill_only_what_code_and_configuration_left_unset()
    {
        var variables = new Dictionary<string, string>
        {
            ["PANOPTICON_API_KEY"] = "from-env",
            ["PANOPTICON_ENDPOINT"] = "https://env.example.com/producer",
            ["PANOPTICON_SERVICE_NAME"] = "env-service",
            ["PANOPTICON_ENVIRONMENT"] = "env-environment",
        };
        var fill = new EnvironmentVariableDefaults(name => variables.GetValueOrDefault(name));

        var unset = new PanopticonOptions { ApiKey = "" };
        fill.PostConfigure(null, unset);
        var explicitOptions = new PanopticonOptions { ApiKey = "from-code", Endpoint = "https://code.example.com", ServiceName = "code-service", Environment = "staging" };
        fill.PostConfigure(null, explicitOptions);

        Assert.Equal(("from-env", "https://env.example.com/producer", "env-service", "env-environment"), (unset.ApiKey, unset.Endpoint, unset.ServiceName, unset.Environment));
        Assert.Equal(("from-code", "https://code.example.com", "code-service", "staging"), (explicitOptions.ApiKey, explicitOptions.Endpoint, explicitOptions.ServiceName, explicitOptions.Environment));
    }

    [Fact]
    public void Without_any_setting_the_service_name_is_the_entry_assembly_and_the_endpoint_the_public_producer()
    {
        var options = new PanopticonOptions();
        new EnvironmentVariableDefaults(_ => null).PostConfigure(null, options);

        Assert.False(string.IsNullOrWhiteSpace(options.ServiceName));
        Assert.Equal(PanopticonOptions.DefaultEndpoint, options.Endpoint);
        Assert.Equal("production", options.Environment);
    }

    [Fact]
    public void Configuration_binds_from_the_section_or_from_a_root_containing_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Panopticon:ApiKey"] = "k",
            ["Panopticon:ServiceName"] = "bound",
            ["Panopticon:BatchSize"] = "7",
            ["Panopticon:FlushInterval"] = "00:00:02",
            ["Panopticon:Compression"] = "None",
            ["Panopticon:IgnoredPaths:0"] = "/ping",
            ["Panopticon:TracesSampleRatio"] = "0.25",
            ["Panopticon:MaxTracesPerSecond"] = "50",
            ["Panopticon:MaxPendingTraces"] = "300",
            ["Panopticon:AlwaysSendWarningLogs"] = "true",
        }).Build();

        foreach (var source in new IConfiguration[] { configuration, configuration.GetSection("Panopticon") })
        {
            var services = new ServiceCollection().AddLogging();
            services.AddPanopticon(source);
            using var provider = services.BuildServiceProvider();
            var options = provider.GetRequiredService<IOptions<PanopticonOptions>>().Value;

            Assert.Equal("bound", options.ServiceName);
            Assert.Equal(7, options.BatchSize);
            Assert.Equal(TimeSpan.FromSeconds(2), options.FlushInterval);
            Assert.Equal(PanopticonCompression.None, options.Compression);
            Assert.Contains("/ping", options.IgnoredPaths);
            Assert.Equal(0.25, options.TracesSampleRatio);
            Assert.Equal(50, options.MaxTracesPerSecond);
            Assert.Equal(300, options.MaxPendingTraces);
            Assert.True(options.AlwaysSendWarningLogs);
        }
    }

    [Fact]
    public async Task Disabled_sdk_makes_no_http_call()
    {
        using var producer = new FakeProducer();
        var app = await MonitoredApp.StartAsync(producer.Url, o => o.Enabled = false);
        var client = app.Client;
        var logger = app.Logger();

        Assert.False(logger.IsEnabled(LogLevel.Critical));
        logger.LogCritical("not sent");
        var span = app.StartSpan(); // null unless another test's listener hears every source
        if (span is not null)
        {
            MonitoredApp.End(span);
        }

        var result = await app.FlushAsync();
        await app.DisposeAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(0, client.Statistics.Accepted);
        Assert.Empty(producer.Requests());
    }

    [Fact]
    public void PanopticonClient_Create_rejects_invalid_options_with_the_option_name()
    {
        var error = Assert.Throws<OptionsValidationException>(() => PanopticonClient.Create(o => o.BatchSize = -3));

        Assert.Contains("Panopticon:BatchSize '-3' must be at least 1.", error.Message);
    }

    private static PanopticonOptions Valid(Action<PanopticonOptions> change)
    {
        var options = new PanopticonOptions { ApiKey = "k", ServiceName = "s" };
        change(options);
        return options;
    }
}
