using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Panopticon.Sdk.AspNetCore;

/// <summary>
/// When <c>TraceIdResponseHeader</c> is set, puts the request's trace id in that response header, first in the
/// pipeline. Written when the response starts, so exception handlers that clear the headers do not remove it.
/// </summary>
internal sealed class TraceIdResponseHeaderStartupFilter(IServiceProvider services) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (services.GetService<IOptions<PanopticonOptions>>()?.Value is { Enabled: true, TraceIdResponseHeader: { Length: > 0 } header })
        {
            app.Use((context, nextMiddleware) =>
            {
                if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
                {
                    var traceId = activity.TraceId.ToHexString();
                    context.Response.OnStarting(() =>
                    {
                        context.Response.Headers[header] = traceId;
                        return Task.CompletedTask;
                    });
                }

                return nextMiddleware(context);
            });
        }

        next(app);
    };
}
