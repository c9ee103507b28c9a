using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.EndToEnd;

/// <summary>Scenario 8: a generic-host worker (no ASP.NET Core) with the builder form of the SDK.</summary>
public sealed class WorkerServiceTests
{
    [Fact]
    public async Task A_worker_delivers_its_spans_and_logs()
    {
        using var producer = new ProducerStub();
        using var downstream = new DownstreamStub();
        using var connection = new SqliteConnection("DataSource=:memory:");
        connection.Open();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.Services.AddPanopticon(o =>
        {
            o.ApiKey = "test-key";
            o.Endpoint = producer.Url;
            o.ServiceName = "worker";
            o.Compression = PanopticonCompression.None;
        }).AddHttpClientTracking().AddLogTracking().AddEntityFrameworkCore();
        builder.Services.AddDbContext<OrdersDb>(o => o.UseSqlite(connection));
        builder.Services.AddHttpClient("inventory", c => c.BaseAddress = new Uri(downstream.Url));
        builder.Services.AddSingleton<Job>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Job>());
        using var host = builder.Build();

        await host.StartAsync();
        await host.Services.GetRequiredService<Job>().Done.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True((await host.Services.GetRequiredService<IPanopticonClient>().FlushAsync()).Succeeded);
        await host.StopAsync();

        Assert.Contains(producer.Spans, s => s.Str("kind") == "CLIENT" && s.Label("http_url")?.Contains("/inventory", StringComparison.Ordinal) == true);
        Assert.Contains(producer.Spans, s => s.Label("db_system") == "sqlite" && s.Label("db_operation") == "CREATE");
        Assert.Contains(producer.Spans, s => s.Label("db_system") == "sqlite" && s.Label("db_operation") == "INSERT");
        var log = Assert.Single(producer.Logs, l => l.Str("message") == "Job finished");
        Assert.Equal("worker", log.Str("service_name"));
    }

    private sealed class Job(IServiceScopeFactory scopes, IHttpClientFactory http, ILoggerFactory loggers) : BackgroundService
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<OrdersDb>();
                await db.Database.EnsureCreatedAsync(stoppingToken);
                db.Orders.Add(new Order { Sku = "w-1" });
                await db.SaveChangesAsync(stoppingToken);
                using var response = await http.CreateClient("inventory").GetAsync("/inventory", stoppingToken);
                loggers.CreateLogger("Worker.Job").LogInformation("Job finished");
                _done.TrySetResult();
            }
            catch (Exception exception)
            {
                _done.TrySetException(exception);
            }
        }
    }
}
