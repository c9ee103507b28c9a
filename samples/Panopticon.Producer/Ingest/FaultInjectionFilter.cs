namespace Panopticon.Producer.Ingest;

/// <summary>Fails the request with 503 when the <see cref="FaultInjector"/> says so; runs after authentication.</summary>
internal sealed class FaultInjectionFilter(FaultInjector faults) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (faults.ShouldFail())
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Injected fault",
                detail: "the fault-injection switch failed this request on purpose; nothing was stored");
        }

        return await next(context).ConfigureAwait(false);
    }
}
