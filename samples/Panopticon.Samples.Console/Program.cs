using Microsoft.Extensions.Logging;
using Panopticon.Sdk;

// A console app without dependency injection: one client, its logger, a span around the work.
// Options left unset come from PANOPTICON_API_KEY, PANOPTICON_ENDPOINT, PANOPTICON_SERVICE_NAME, ...
await using var panopticon = PanopticonClient.Create(o => o.Environment = "demo");
var logger = panopticon.CreateLogger("Import");

string[] lines = ["WIDGET-1;2", "GADGET-7;x", "WIDGET-2;5"];
using (var span = PanopticonTrace.StartSpan("import-orders", tags: [new("file", "orders.csv")]))
{
    // Inside the span: this line carries the span's trace_id and span_id.
    logger.LogInformation("Importing {Count} lines", lines.Length);
    try
    {
        var total = lines.Sum(line => int.Parse(line.Split(';')[1]));
        span?.SetTag("quantity", total);
    }
    catch (FormatException exception)
    {
        // Status ERROR with exception_type, exception_message and exception_stacktrace labels.
        PanopticonTrace.MarkFailed(span, exception);
    }
}

// Disposing the client (the end of `await using`) sends what is buffered, within ShutdownTimeout.
Console.WriteLine($"Done: {panopticon.BufferSize} records to send.");
