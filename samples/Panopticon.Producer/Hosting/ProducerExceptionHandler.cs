using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Panopticon.Producer.Storage;

namespace Panopticon.Producer.Hosting;

/// <summary>
/// The last line of defence: bad input that slips past the handlers (a truncated upload, an invalid header,
/// a client going away) becomes a 4xx problem, and a storage failure a 503 the sender retries — never a 500.
/// </summary>
internal sealed partial class ProducerExceptionHandler(IProblemDetailsService problems, ILogger<ProducerExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
            JsonException or InvalidDataException or FormatException or IOException => (StatusCodes.Status400BadRequest, "Bad request"),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request"),
            SqliteException or StorageUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Storage unavailable"),
            _ => (StatusCodes.Status500InternalServerError, "Internal error"),
        };

        if (status >= 500)
        {
            LogFailure(exception, status);
        }

        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = status < 500 ? exception.Message : null },
        }).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed with {Status}")]
    private partial void LogFailure(Exception exception, int status);
}
