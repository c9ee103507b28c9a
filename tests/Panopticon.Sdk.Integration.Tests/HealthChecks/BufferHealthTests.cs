using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Integration.Tests.HealthChecks;

/// <summary>With <c>BufferDirectory</c>, the statistics and the health check show what the directory holds.</summary>
public sealed class BufferHealthTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("panopticon-health-buffer-").FullName;

    [Fact]
    public async Task The_stored_batches_and_their_bytes_are_in_the_statistics_and_the_health_data()
    {
        await using var app = await HealthApp.StartAsync(
            producerStatus: 503, // batches wait in the directory
            configure: o =>
            {
                o.BufferDirectory = _directory;
                o.FlushInterval = TimeSpan.FromMilliseconds(50);
            });
        app.Logger.LogInformation("Order shipped");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (app.Panopticon.Statistics.StoredBatches < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no batch stored: {app.Panopticon.Statistics}");
            await Task.Delay(20);
        }

        var (_, json) = await app.GetHealthAsync();

        var data = JsonDocument.Parse(json).RootElement.GetProperty("checks").GetProperty("panopticon").GetProperty("data");
        var files = Directory.GetFiles(Path.Combine(_directory, "logs"), "*.batch");
        Assert.True(data.GetProperty("stored_batches").GetInt64() >= 1, json);
        Assert.True(data.GetProperty("stored_bytes").GetInt64() >= files.Min(f => new FileInfo(f).Length), json);
        Assert.True(app.Panopticon.Statistics.StoredBytes > 0);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
