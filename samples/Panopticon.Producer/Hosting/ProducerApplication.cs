using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Panopticon.Producer.Configuration;
using Panopticon.Producer.Ingest;
using Panopticon.Producer.Query;
using Panopticon.Producer.Storage;

namespace Panopticon.Producer.Hosting;

/// <summary>
/// Builds the Producer from command-line style arguments (<c>--urls</c>, <c>--Producer:ApiKeys:0=...</c>), so
/// <c>Program</c>, in-process tests and out-of-process launchers all get the same application.
/// </summary>
internal static class ProducerApplication
{
    public static WebApplication Create(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The viewer is copied next to the assembly, so it is found whatever the working directory is.
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });

        AddProducer(builder.Services, builder.Configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        UseProducer(app);
        return app;
    }

    public static void AddProducer(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProducerOptions>()
            .Bind(configuration.GetSection(ProducerOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProducerOptions>, ProducerOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SqliteTelemetryStore>();
        services.AddSingleton<ITelemetryStore>(sp => sp.GetRequiredService<SqliteTelemetryStore>());
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());

        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<IngestHandler>();

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ProducerJsonContext.Web));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProducerExceptionHandler>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        services.AddRateLimiter(ConfigureRateLimiting);
    }

    public static void UseProducer(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRateLimiter();

        app.MapIngest();
        app.MapQueryApi();
        app.MapProducerHealth();
    }

    /// <summary>A fixed window per API key; requests without a valid key share one partition (they will get 401 anyway).</summary>
    private static void ConfigureRateLimiting(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(IngestEndpoints.RateLimitPolicy, context =>
        {
            var limits = context.RequestServices.GetRequiredService<IOptionsMonitor<ProducerOptions>>().CurrentValue.RateLimit;
            var key = context.RequestServices.GetRequiredService<ApiKeyValidator>().Match(context.Request);
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.PermitLimit,
                Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                QueueLimit = 0,
            });
        });
        options.OnRejected = async (rejected, cancellationToken) =>
        {
            var context = rejected.HttpContext;
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                ? wait
                : TimeSpan.FromSeconds(context.RequestServices.GetRequiredService<IOptionsMonitor<ProducerOptions>>().CurrentValue.RateLimit.WindowSeconds);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = "the rate limit for this API key is exhausted; retry after the Retry-After delay",
                },
            }).ConfigureAwait(false);
        };
    }
}
