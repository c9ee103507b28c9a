using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.AI;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Integration.Tests.AI;

public sealed class GenAiOptionsTests
{
    [Fact]
    public void An_incomplete_or_negative_price_fails_at_startup_naming_the_option()
    {
        var services = new ServiceCollection();
        services.AddPanopticon(_ => { }).UseInMemorySink(new InMemoryPanopticonSink()).AddGenAiTracking(o =>
            o.Prices["gpt-4o"] = new GenAiModelPrice { InputPerMillionTokens = -1m });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GenAiTrackingOptions>>().Value);

        Assert.Contains("Panopticon:GenAi:Prices:gpt-4o:InputPerMillionTokens (-1) must not be negative.", error.Failures);
        Assert.Contains("Panopticon:GenAi:Prices:gpt-4o:OutputPerMillionTokens must be set.", error.Failures);
    }

    [Fact]
    public void Configuration_is_read_from_the_Panopticon_section_and_code_wins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Panopticon:EnableGenAiTracking"] = "false",
            ["Panopticon:CaptureMessageContent"] = "true",
            ["Panopticon:GenAi:Prices:gpt-4o-mini:InputPerMillionTokens"] = "0.15",
            ["Panopticon:GenAi:Prices:gpt-4o-mini:OutputPerMillionTokens"] = "0.6",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPanopticon(_ => { }).UseInMemorySink(new InMemoryPanopticonSink()).AddGenAiTracking(o => o.CaptureMessageContent = false);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<GenAiTrackingOptions>>().Value;

        Assert.False(options.EnableGenAiTracking);
        Assert.False(options.CaptureMessageContent);
        var price = Assert.Single(options.Prices);
        Assert.Equal("gpt-4o-mini", price.Key);
        Assert.Equal(0.15m, price.Value.InputPerMillionTokens);
        Assert.Equal(0.6m, price.Value.OutputPerMillionTokens);
        Assert.Null(price.Value.CachedInputPerMillionTokens);
    }
}
