using System.Net;
using Microsoft.Extensions.Options;
using Panopticon.Producer.Configuration;

namespace Panopticon.Producer.Query;

/// <summary>
/// The query API has no key: it is a local development viewer. Even when the Producer listens on every
/// interface (so remote services can send telemetry), it answers loopback clients only unless configured otherwise.
/// </summary>
internal sealed class LocalOnlyFilter(IOptionsMonitor<ProducerOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // In-process test servers have no remote address; they are local by definition.
        var remote = context.HttpContext.Connection.RemoteIpAddress;
        if (remote is not null && !IPAddress.IsLoopback(remote) && !options.CurrentValue.AllowRemoteQueries)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: "the query API answers loopback clients only (set Producer:AllowRemoteQueries to change this)");
        }

        return await next(context).ConfigureAwait(false);
    }
}
