using Microsoft.EntityFrameworkCore;
using Panopticon.Samples.WebApi;
using Panopticon.Samples.WebApi.Assistant;
using Panopticon.Samples.WebApi.Inventory;
using Panopticon.Samples.WebApi.Orders;

var builder = WebApplication.CreateBuilder(args);

// 1. Panopticon: server spans, HttpClient spans and ILogger lines, all sharing the request's trace id, plus
//    one span per EF Core command, one LLM span per model call (with model, tokens and cost from the prices in
//    Panopticon:GenAi:Prices). Everything is read from the "Panopticon" section of appsettings.json.
builder.Services
    .AddPanopticonMonitoring(builder.Configuration.GetSection("Panopticon"))
    .AddEntityFrameworkCore()
    .AddGenAiTracking();

// 2. The application's own services: nothing in them knows about Panopticon.
builder.Services.AddDbContext<OrdersDbContext>(options =>
    options.UseSqlite(builder.Configuration.GetConnectionString("Orders")));
builder.Services.AddHttpClient<InventoryClient>((services, client) =>
    client.BaseAddress = DownstreamAddress.Resolve(services));
builder.Services.AddChatClient(AssistantClient.Create).UsePanopticon();

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Database.EnsureCreatedAsync();
}

app.MapOrders();     // POST /orders, GET /orders, GET /orders/{id}, GET /orders/fail
app.MapInventory();  // GET /inventory/{sku}: the "downstream service" the orders endpoints call over HTTP
app.MapDemoEndpoints(); // GET /trace-id, POST /admin/flush
app.MapAssistant();     // GET /assistant/summary: asks a model through IChatClient
app.MapStubModel();     // POST /v1/chat/completions: the stand-in model service it calls

app.Run();

/// <summary>Entry point; public so tests can host the app with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
