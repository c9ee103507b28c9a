using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.EndToEnd;

/// <summary>
/// The test web app: Kestrel on a loopback port, EF Core on an in-memory SQLite database, an HttpClient calling
/// the downstream stub, logs in the handler and in a service, all monitored with one <c>AddPanopticonMonitoring</c>
/// call bound from configuration and sending to the Producer stub.
/// </summary>
internal sealed class OrdersApp : IAsyncDisposable
{
    public const string CustomSourceName = "Orders.Custom";

    private readonly WebApplication _app;
    private readonly SqliteConnection _connection;

    private OrdersApp(WebApplication app, SqliteConnection connection, HttpClient client, ProducerStub producer, DownstreamStub downstream)
    {
        _app = app;
        _connection = connection;
        Client = client;
        Producer = producer;
        Downstream = downstream;
    }

    public HttpClient Client { get; }

    public ProducerStub Producer { get; }

    public DownstreamStub Downstream { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<OrdersApp> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? beforePanopticon = null)
    {
        var producer = new ProducerStub();
        var downstream = new DownstreamStub();
        var builder = LoopbackApp.CreateBuilder(producer, "orders", "/health", "/sdk", "/inventory", "/fail");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Panopticon:Environment"] = "test",
            ["Panopticon:TraceIdResponseHeader"] = "X-Trace-Id",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        beforePanopticon?.Invoke(builder.Services);
        builder.Services.AddPanopticonMonitoring(builder.Configuration).AddEntityFrameworkCore();

        // Kept open for the app's lifetime: an in-memory SQLite database lives as long as its connection.
        var connection = new SqliteConnection("DataSource=:memory:");
        connection.Open();
        builder.Services.AddDbContext<OrdersDb>(options => options.UseSqlite(connection));
        builder.Services.AddHttpClient("inventory", client => client.BaseAddress = new Uri(downstream.Url));
        builder.Services.AddScoped<OrderService>();
        // Wrapped: an ActivitySource registered in DI on its own is picked up by the TracerProvider automatically.
        builder.Services.AddSingleton<CustomSpans>();

        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<OrdersDb>().Database.EnsureCreated();
        }

        MapEndpoints(app);
        await app.StartAsync();

        return new OrdersApp(app, connection, LoopbackApp.ClientOf(app), producer, downstream);
    }

    /// <summary>Sends <c>POST /orders</c> and returns the trace id the handler saw.</summary>
    public async Task<OrderResponse> PostOrderAsync(string sku = "abc-123", string? traceparent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(new { Sku = sku }) };
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }

        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<OrderResponse>())!;
        Assert.Equal(body.TraceId, response.Headers.GetValues("X-Trace-Id").Single());
        return body;
    }

    public async Task FlushAsync()
    {
        var result = await Services.GetRequiredService<IPanopticonClient>().FlushAsync();
        Assert.True(result.Succeeded, result.ToString());
    }

    /// <summary>
    /// Flushes until the request of <paramref name="traceId"/> has fully ended: the server span ends just after the
    /// response reaches the client, so one flush right after the response may come too early. Bounded.
    /// </summary>
    public async Task FlushRequestAsync(string traceId, bool serverSpan = true, bool logs = true)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await FlushAsync();
            var spanDone = !serverSpan || SpansOf(traceId).Any(s => s.Str("kind") == "SERVER");
            var logsDone = !logs || LogsOf(traceId).Any(l => l.Str("message")!.StartsWith("Request finished", StringComparison.Ordinal));
            if (spanDone && logsDone)
            {
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"the request of trace {traceId} did not end within 10 s");
            await Task.Delay(10);
        }
    }

    public IReadOnlyList<JsonElement> SpansOf(string traceId) => [.. Producer.Spans.Where(s => s.Str("trace_id") == traceId)];

    public IReadOnlyList<JsonElement> LogsOf(string traceId) => [.. Producer.Logs.Where(s => s.Str("trace_id") == traceId)];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _connection.Dispose();
        Producer.Dispose();
        Downstream.Dispose();
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapPost("/orders", async (OrderRequest order, OrderService service, OrdersDb db, IHttpClientFactory http, ILoggerFactory loggers, CustomSpans custom) =>
        {
            var logger = loggers.CreateLogger("Orders.Handler");
            using (logger.BeginScope(new Dictionary<string, object?> { ["Channel"] = "web" }))
            {
                logger.LogInformation("Creating order for {Sku}", order.Sku);
            }

            var id = await service.CreateAsync(order.Sku);
            var count = await db.Orders.CountAsync();
            using (custom.Source.StartActivity("reserve-stock"))
            {
                using var inventory = await http.CreateClient("inventory").GetAsync($"/inventory?sku={order.Sku}&token=secret-token");
                inventory.EnsureSuccessStatusCode();
            }

            try
            {
                throw new InvalidOperationException("inventory is low");
            }
            catch (InvalidOperationException exception)
            {
                logger.LogError(exception, "Inventory warning for {Sku}", order.Sku);
            }

            return Results.Ok(new OrderResponse(PanopticonTrace.CurrentTraceId!, PanopticonTrace.CurrentSpanId!, id, count));
        });
        app.MapGet("/orders/{id:int}", (int id) => Results.Ok(new { id }));
        app.MapGet("/boom", string () => throw new InvalidOperationException("boom"));
        app.MapGet("/health", () => "ok");
        app.MapGet("/health/db", async (OrdersDb db) => await db.Orders.CountAsync() >= 0 ? "ok" : "empty");
    }
}

/// <summary>An instrumentation of the application's own, not known to Panopticon.</summary>
internal sealed class CustomSpans : IDisposable
{
    public ActivitySource Source { get; } = new(OrdersApp.CustomSourceName);

    public void Dispose() => Source.Dispose();
}

internal sealed record OrderRequest(string Sku);

internal sealed record OrderResponse(string TraceId, string SpanId, int OrderId, int Count);

internal sealed class Order
{
    public int Id { get; set; }

    public required string Sku { get; set; }
}

internal sealed class OrdersDb(DbContextOptions<OrdersDb> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
}

internal sealed class OrderService(OrdersDb db, ILoggerFactory loggers)
{
    // Categories under "Panopticon.Sdk" (this test assembly's namespace) are the SDK's own and never sent.
    public const string Category = "Orders.OrderService";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public async Task<int> CreateAsync(string sku)
    {
        var order = new Order { Sku = sku };
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        _logger.LogInformation("Order {OrderId} saved", order.Id);
        return order.Id;
    }
}
