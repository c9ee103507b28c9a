using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Panopticon.Sdk.Integration.Tests.HealthChecks;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task Healthy_after_a_successful_flush_with_the_counters_in_the_JSON_and_never_the_key()
    {
        await using var app = await HealthApp.StartAsync();
        app.Logger.LogInformation("Order shipped");
        Assert.True((await app.Panopticon.FlushAsync()).Succeeded);

        var (status, json) = await app.GetHealthAsync();

        Assert.Equal(200, status);
        var check = Check(json);
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        var data = check.GetProperty("data");
        Assert.True(data.GetProperty("sent").GetInt64() >= 1);
        Assert.True(data.GetProperty("accepted").GetInt64() >= data.GetProperty("sent").GetInt64()); // the health request logs too
        Assert.Equal(0, data.GetProperty("failed").GetInt64());
        Assert.Equal(0, data.GetProperty("dropped").GetInt64());
        Assert.Equal(JsonValueKind.Number, data.GetProperty("buffer_size").ValueKind); // the health request's own logs may wait
        Assert.True(data.GetProperty("batches").GetInt64() >= 1);
        Assert.True(DateTimeOffset.TryParse(data.GetProperty("last_success_at").GetString(), out _));
        Assert.DoesNotContain(HealthApp.ApiKey, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_left_out_by_the_applications_own_filter_hook_are_not_a_loss()
    {
        await using var app = await HealthApp.StartAsync(panopticon: p => p.FilterLogs(log => log.Category != "Worker"));
        app.Logger.LogInformation("Order shipped");
        var flush = await app.Panopticon.FlushAsync();
        Assert.True(flush.Dropped >= 1, flush.ToString()); // the filtered line is counted as dropped (filtered)

        var (status, json) = await app.GetHealthAsync();

        Assert.Equal(200, status);
        var check = Check(json);
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.True(check.GetProperty("data").GetProperty("dropped_filtered").GetInt64() >= 1);
    }

    [Fact]
    public async Task Unhealthy_when_the_Producer_rejects_the_key()
    {
        await using var app = await HealthApp.StartAsync(producerStatus: 401);
        app.Logger.LogInformation("Order shipped");
        await app.Panopticon.FlushAsync();

        var (status, json) = await app.GetHealthAsync();

        Assert.Equal(503, status);
        var check = Check(json);
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("API key", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("ApiKeyRejected", check.GetProperty("data").GetProperty("last_failure_kind").GetString());
        Assert.True(check.GetProperty("data").GetProperty("failed").GetInt64() >= 1);
        Assert.DoesNotContain(HealthApp.ApiKey, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Degraded_after_drops_then_Healthy_once_the_window_has_passed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await HealthApp.StartAsync(producerStatus: 413, time: time, health: o => o.DegradedWindow = TimeSpan.FromMinutes(2));
        app.Logger.LogInformation("Order shipped");
        await app.Panopticon.FlushAsync(); // every record is refused as too large: dropped

        var (status, json) = await app.GetHealthAsync();

        Assert.Equal(200, status); // Degraded still serves traffic
        var check = Check(json);
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.True(check.GetProperty("data").GetProperty("dropped_too_large").GetInt64() >= 1);

        app.ProducerStatus = 202;
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.True((await app.Panopticon.FlushAsync()).Succeeded);
        Assert.Equal("Healthy", Check((await app.GetHealthAsync()).Json).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unhealthy_when_records_wait_longer_than_UnhealthyAfter_without_an_accepted_batch()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await HealthApp.StartAsync(
            time: time,
            configure: o => o.FlushInterval = TimeSpan.FromHours(1), // nothing is sent unless the test flushes
            health: o => o.UnhealthyAfter = TimeSpan.FromMinutes(2));
        app.Logger.LogInformation("Order shipped");

        Assert.Equal("Healthy", Check((await app.GetHealthAsync()).Json).GetProperty("status").GetString());
        time.Advance(TimeSpan.FromMinutes(3));
        var (status, json) = await app.GetHealthAsync();

        Assert.Equal(503, status);
        var check = Check(json);
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.True(check.GetProperty("data").GetProperty("buffer_size").GetInt64() >= 1);

        Assert.True((await app.Panopticon.FlushAsync()).Succeeded);
        Assert.Equal("Healthy", Check((await app.GetHealthAsync()).Json).GetProperty("status").GetString());
    }

    private static JsonElement Check(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("checks").GetProperty("panopticon").Clone();
}
