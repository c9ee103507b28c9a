using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Panopticon.Producer.Ingest;
using Panopticon.Producer.Query;
using Panopticon.Producer.Storage;

namespace Panopticon.Producer.Hosting;

/// <summary>Source-generated JSON for every response body (camelCase, nulls omitted).</summary>
[JsonSerializable(typeof(IngestAccepted))]
[JsonSerializable(typeof(IngestPartial))]
[JsonSerializable(typeof(FaultInjectionState))]
[JsonSerializable(typeof(TraceDetail))]
[JsonSerializable(typeof(TraceList))]
[JsonSerializable(typeof(LogPage))]
[JsonSerializable(typeof(StatsReport))]
[JsonSerializable(typeof(HealthBody))]
internal sealed partial class ProducerJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context every response uses. Relaxed escaping keeps rejection reasons readable ('field' rather than
    /// \u0027field\u0027); bodies are served as JSON, never embedded in HTML.
    /// </summary>
    public static ProducerJsonContext Web { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
