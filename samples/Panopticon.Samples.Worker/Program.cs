using Panopticon.Samples.Worker;

var builder = Host.CreateApplicationBuilder(args);

// Panopticon for a worker service: HttpClient spans and ILogger lines, plus the spans of PanopticonTrace.StartSpan.
// Options come from the "Panopticon" section of appsettings.json and the PANOPTICON_* environment variables.
builder.Services
    .AddPanopticon(builder.Configuration)
    .AddHttpClientTracking()
    .AddLogTracking();

builder.Services.AddHttpClient("inventory", client => client.BaseAddress = new Uri(builder.Configuration["Inventory:Url"]!));
builder.Services.AddHostedService<OrderWorker>();

// Ctrl+C or SIGTERM stops the host; the SDK sends what is buffered before the process exits.
builder.Build().Run();
