namespace Panopticon.Producer.Configuration;

/// <summary>The <c>Producer</c> configuration section.</summary>
internal sealed class ProducerOptions
{
    public const string SectionName = "Producer";

    /// <summary>Keys accepted in <c>X-API-Key</c> on the ingest routes.</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>Largest request body accepted, counted after decompression (the public Producer's limit is 10 MB).</summary>
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The query API and viewer answer loopback clients only unless this is set.</summary>
    public bool AllowRemoteQueries { get; set; }

    public RateLimitOptions RateLimit { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public FaultInjectionOptions FaultInjection { get; set; } = new();
}

/// <summary>Fixed-window limit applied per API key on the ingest routes.</summary>
internal sealed class RateLimitOptions
{
    public int PermitLimit { get; set; } = 1000;

    public int WindowSeconds { get; set; } = 1;
}

internal sealed class StorageOptions
{
    /// <summary>SQLite file; a relative path is resolved against the content root.</summary>
    public string Path { get; set; } = "panopticon-producer.db";

    /// <summary>Records whose timestamp is older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the retention sweep runs.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);
}

internal sealed class FaultInjectionOptions
{
    /// <summary>When above zero, every Nth authenticated ingest request is answered 503 before anything is stored.</summary>
    public int FailEveryNth { get; set; }

    /// <summary>Exposes <c>POST /admin/fault-injection</c> so an out-of-process test can change the switch at runtime.</summary>
    public bool AdminEndpoint { get; set; }
}
