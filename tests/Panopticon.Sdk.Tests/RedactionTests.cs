using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Configuration;
using Panopticon.Sdk.Testing;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests;

public sealed class RedactionTests
{
    private readonly InMemoryPanopticonSink _sink = new();

    [Fact]
    public async Task Labels_whose_keys_contain_a_denylisted_word_are_sent_as_REDACTED_by_default()
    {
        await using var app = await MonitoredApp.StartAsync(_sink);
        var logger = app.Logger();

        // Scope values become labels without being printed into the message, as an app's context usually is.
        using (logger.BeginScope(new Dictionary<string, object?>
        {
            ["password"] = "hunter2",
            ["X-Api-Token"] = "tok_live_123",
            ["user.session_id"] = "sess-42",
            ["Authorization"] = "Bearer abc",
            ["llm_input_tokens"] = 120, // a count, not a secret: numbers are kept
            ["order_id"] = "o-7",
        }))
        {
            logger.LogInformation("Signed in");
        }

        app.EndSpan(tags: [("db.password", "p@ss"), ("customer", "acme")]);
        await app.FlushAsync();

        var labels = Assert.Single(_sink.Logs).GetProperty("labels");
        Assert.Equal("REDACTED", labels.GetProperty("password").GetString());
        Assert.Equal("REDACTED", labels.GetProperty("X-Api-Token").GetString());
        Assert.Equal("REDACTED", labels.GetProperty("user_session_id").GetString());
        Assert.Equal("REDACTED", labels.GetProperty("Authorization").GetString());
        Assert.Equal(120, labels.GetProperty("llm_input_tokens").GetInt32());
        Assert.Equal("o-7", labels.GetProperty("order_id").GetString());
        var spanLabels = Assert.Single(_sink.Spans).GetProperty("labels");
        Assert.Equal("REDACTED", spanLabels.GetProperty("db_password").GetString());
        Assert.Equal("acme", spanLabels.GetProperty("customer").GetString());
        var everything = string.Join("\n", _sink.Logs.Concat(_sink.Spans).Select(r => r.GetRawText()));
        Assert.DoesNotContain("hunter2", everything);
        Assert.DoesNotContain("tok_live_123", everything);
        Assert.DoesNotContain("sess-42", everything);
        Assert.DoesNotContain("p@ss", everything);
    }

    [Fact]
    public async Task The_denylist_is_configurable_and_can_be_emptied()
    {
        await using (var app = await MonitoredApp.StartAsync(_sink, o => o.RedactedLabelKeys.Add("Customer")))
        {
            app.Logger().LogInformation("{customer_name} {password}", "Ada", "hunter2");
            await app.FlushAsync();
        }

        var labels = Assert.Single(_sink.Logs).GetProperty("labels");
        Assert.Equal("REDACTED", labels.GetProperty("customer_name").GetString());
        Assert.Equal("REDACTED", labels.GetProperty("password").GetString());

        _sink.Clear();
        await using (var app = await MonitoredApp.StartAsync(_sink, o => o.RedactedLabelKeys.Clear()))
        {
            app.Logger().LogInformation("{password}", "not-really-secret");
            await app.FlushAsync();
        }

        Assert.Equal("not-really-secret", Assert.Single(_sink.Logs).GetProperty("labels").GetProperty("password").GetString());
    }

    [Fact]
    public void An_empty_denylist_entry_is_refused_because_it_would_redact_every_label()
    {
        var options = new PanopticonOptions { ApiKey = "key", ServiceName = "svc" };
        options.RedactedLabelKeys.Add(" ");

        var result = new PanopticonOptionsValidator().Validate(null, options);

        Assert.Equal(["Panopticon:RedactedLabelKeys:11 ' ' must be a part of a label key such as password."], result.Failures);
    }
}
