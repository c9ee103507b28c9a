using Panopticon.Producer.Query;
using Panopticon.Producer.Storage;

namespace Panopticon.Producer.Tests;

public sealed class StatsCalculatorTests
{
    [Theory]
    [InlineData(50, 50)]
    [InlineData(95, 95)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(0, 1)]
    public void Percentiles_use_the_nearest_rank(double percent, double expected)
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        Assert.Equal(expected, StatsCalculator.Percentile(sorted, percent));
    }

    [Fact]
    public void Percentile_of_nothing_is_zero() => Assert.Equal(0, StatsCalculator.Percentile([], 50));

    [Fact]
    public void Groups_by_service_and_by_endpoint_busiest_first()
    {
        ServerSpanSample[] samples =
        [
            new("a", "GET /x", 10, false),
            new("a", "GET /x", 30, true),
            new("a", "GET /y", 5, false),
            new("b", "POST /z", 7, false),
        ];

        var report = StatsCalculator.Compute(samples, 60, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1));

        Assert.Equal(["a", "b"], report.Services.Select(s => s.ServiceName));
        Assert.Equal(3, report.Services[0].RequestCount);
        Assert.Equal(0.3333, report.Services[0].ErrorRate);
        var x = report.Endpoints[0];
        Assert.Equal(("a", "GET /x", 2, 1, 0.5, 10d, 30d), (x.ServiceName, x.Endpoint, x.RequestCount, x.ErrorCount, x.ErrorRate, x.P50Ms, x.P99Ms));
    }
}
