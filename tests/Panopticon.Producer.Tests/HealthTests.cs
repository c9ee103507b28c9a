using System.Net;

namespace Panopticon.Producer.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_reports_reachable_storage()
    {
        using var factory = new ProducerFactory();

        using var response = await factory.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Healthy", body["status"]!.GetValue<string>());
        Assert.Equal("reachable", body["storage"]!.GetValue<string>());
        Assert.True(File.Exists(factory.DatabasePath), "the SQLite file is created at the configured path");
    }

    [Fact]
    public async Task Health_reports_unreachable_storage_with_503()
    {
        // A database path below a regular file cannot be created.
        var blocker = Path.GetTempFileName();
        try
        {
            using var factory = new ProducerFactory(new() { ["Producer:Storage:Path"] = Path.Combine(blocker, "producer.db") });

            using var response = await factory.CreateClient().GetAsync("/health");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var body = await response.JsonAsync();
            Assert.Equal("Unhealthy", body["status"]!.GetValue<string>());
            Assert.Equal("unreachable", body["storage"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public async Task Ingest_answers_503_not_500_when_storage_is_unreachable()
    {
        var blocker = Path.GetTempFileName();
        try
        {
            using var factory = new ProducerFactory(new() { ["Producer:Storage:Path"] = Path.Combine(blocker, "producer.db") });

            using var response = await factory.CreateClient().PostAsync("/sdk/logs", Wire.Array(Wire.Log()));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("POST", "/sdk/spans")]
    [InlineData("GET", "/api/unknown")]
    public async Task Unknown_routes_are_404(string method, string path)
    {
        using var factory = new ProducerFactory();

        using var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Missing_api_keys_fail_startup_with_a_message_naming_the_option()
    {
        using var factory = new ProducerFactory(new() { ["Producer:ApiKeys:0"] = null, ["Producer:ApiKeys:1"] = null });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Producer:ApiKeys", error.ToString());
    }
}
