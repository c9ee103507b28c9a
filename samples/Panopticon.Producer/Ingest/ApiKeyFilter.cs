namespace Panopticon.Producer.Ingest;

/// <summary>Answers 401 unless the request carries a configured <c>X-API-Key</c>.</summary>
internal sealed class ApiKeyFilter(ApiKeyValidator validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (validator.Match(context.HttpContext.Request) < 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: $"a valid {ApiKeyValidator.HeaderName} header is required");
        }

        return await next(context).ConfigureAwait(false);
    }
}
