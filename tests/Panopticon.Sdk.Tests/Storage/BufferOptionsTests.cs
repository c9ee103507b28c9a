using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.Configuration;

namespace Panopticon.Sdk.Tests.Storage;

/// <summary>BufferDirectory, MaxBufferBytes and BufferRetention: off by default, bound from configuration and the environment, checked at startup.</summary>
public sealed class BufferOptionsTests
{
    [Fact]
    public void The_buffer_is_off_by_default_with_a_50_MiB_cap_and_48_hours_retention()
    {
        var options = new PanopticonOptions();
        new EnvironmentVariableDefaults(_ => null).PostConfigure(null, options);

        Assert.Equal((null, 50L * 1024 * 1024, TimeSpan.FromHours(48)), (options.BufferDirectory, options.MaxBufferBytes, options.BufferRetention));
    }

    [Fact]
    public void The_environment_variable_fills_the_directory_only_when_code_and_configuration_left_it_unset()
    {
        var fill = new EnvironmentVariableDefaults(name => name == "PANOPTICON_BUFFER_DIRECTORY" ? " /var/lib/app/panopticon " : null);
        var unset = new PanopticonOptions();
        var set = new PanopticonOptions { BufferDirectory = "/data/buffer" };

        fill.PostConfigure(null, unset);
        fill.PostConfigure(null, set);

        Assert.Equal(("/var/lib/app/panopticon", "/data/buffer"), (unset.BufferDirectory, set.BufferDirectory));
    }

    [Fact]
    public void Configuration_binds_the_buffer_options()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Panopticon:ApiKey"] = "k",
            ["Panopticon:BufferDirectory"] = "/data/panopticon",
            ["Panopticon:MaxBufferBytes"] = "104857600",
            ["Panopticon:BufferRetention"] = "12:00:00",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddPanopticon(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PanopticonOptions>>().Value;

        Assert.Equal(("/data/panopticon", 104857600L, TimeSpan.FromHours(12)), (options.BufferDirectory, options.MaxBufferBytes, options.BufferRetention));
    }

    [Fact]
    public void Invalid_buffer_options_fail_with_messages_naming_each_option()
    {
        var options = new PanopticonOptions { ApiKey = "k", ServiceName = "s", BufferDirectory = "  ", MaxBufferBytes = 1000, BufferRetention = TimeSpan.Zero };

        var result = new PanopticonOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "Panopticon:BufferDirectory '  ' must be a directory path; leave it unset to buffer in memory only.",
                "Panopticon:MaxBufferBytes '1000' must be at least Panopticon:MaxBatchBytes (4194304), the largest batch.",
                "Panopticon:BufferRetention '00:00:00' must be a positive time span.",
            ],
            result.Failures);
    }

    [Fact]
    public void A_path_with_a_nul_character_is_refused()
    {
        var options = new PanopticonOptions { ApiKey = "k", ServiceName = "s", BufferDirectory = "/data/\0buffer" };

        var failure = Assert.Single(new PanopticonOptionsValidator().Validate(null, options).Failures!);

        Assert.StartsWith("Panopticon:BufferDirectory '", failure, StringComparison.Ordinal);
        Assert.EndsWith("' contains characters not allowed in a path.", failure, StringComparison.Ordinal);
    }
}
