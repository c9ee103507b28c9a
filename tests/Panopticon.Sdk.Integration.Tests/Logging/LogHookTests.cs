using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.Logging;

/// <summary>Log hooks and redaction on lines written through <see cref="ILogger"/>, whose message is formatted on the export thread.</summary>
public sealed class LogHookTests
{
    [Fact]
    public async Task Changing_a_message_argument_changes_its_label_but_not_the_message()
    {
        await using var harness = new LoggingHarness(panopticon: builder => builder.EnrichLogs(log =>
        {
            log.SetLabel("OrderId", 0);
            log.SetLabel("tenant", "acme");
        }));

        using (harness.Logger("Orders").BeginScope(new Dictionary<string, object?> { ["Region"] = "eu" }))
        {
            harness.Logger("Orders").LogInformation("Order {OrderId} shipped to {Customer}", 42, "ann");
        }

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("Order 42 shipped to ann", log.Str("message"));
        Assert.Equal(0, log.GetProperty("labels").GetProperty("OrderId").GetInt32());
        Assert.Equal("acme", log.Label("tenant"));
        Assert.Equal("ann", log.Label("Customer"));
        Assert.Equal("eu", log.Label("Region"));
    }

    [Fact]
    public async Task A_structured_value_named_like_a_secret_is_redacted_by_default()
    {
        await using var harness = new LoggingHarness();

        harness.Logger("Auth").LogInformation("Signed in {UserName} with session {SessionId}", "ann", "s-123");

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("REDACTED", log.Label("SessionId"));
        Assert.Equal("ann", log.Label("UserName"));
    }
}
