using Panopticon.Producer.Hosting;

var app = ProducerApplication.Create(args);
await app.RunAsync();

/// <summary>Entry point; public so <c>WebApplicationFactory&lt;Program&gt;</c> can host it in tests.</summary>
public partial class Program;
