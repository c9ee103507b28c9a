using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Storage;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests;

/// <summary>
/// The exact bytes of representative spans and log records, captured from the serializers before they were tuned for
/// speed: any change to the wire output, however small, fails here. Ids are random, so they are replaced by
/// placeholders before comparing.
/// </summary>
public sealed class SerializationGoldenTests
{
    private const int MaxValueLength = 200;

    [Fact]
    public void Spans_serialize_to_exactly_the_captured_json()
    {
        using var serializer = NewSerializer("order-service é", "production", (resource, fields, labels) => new SpanSerializer(resource, fields, labels));
        var parent = Records.EndedSpan("parent");
        var activities = Spans(parent);

        // Twice through the same serializer: the second pass runs on the label caches the first one filled.
        for (var pass = 0; pass < 2; pass++)
        {
            var spans = activities.Select(ToRecord).ToList();
            var batch = serializer.Serialize(spans, Records.Noon)!;

            Assert.Equal(spans.Count, batch.RecordCount);
            var actual = Enumerable.Range(0, spans.Count).Select(i => WithPlaceholders(RecordJson(batch, i), spans[i])).ToArray();
            Assert.Equal(ExpectedSpans, actual);
        }
    }

    [Fact]
    public void Spans_repeated_with_the_same_value_instances_serialize_to_the_same_json()
    {
        // The same activities again and again: values that come as the same instances are written from their cached encoding.
        using var serializer = NewSerializer("order-service é", "production", (resource, fields, labels) => new SpanSerializer(resource, fields, labels));
        var activities = Spans(Records.EndedSpan("parent"));
        int[] picked = [0, 0, 0, 3, 3, 3, 7, 7, 7, 5, 5, 0, 0];
        var spans = picked.Select(i => ToRecord(activities[i])).ToList();

        var batch = serializer.Serialize(spans, Records.Noon)!;

        Assert.Equal(spans.Count, batch.RecordCount);
        var actual = Enumerable.Range(0, spans.Count).Select(i => WithPlaceholders(RecordJson(batch, i), spans[i])).ToArray();
        Assert.Equal(picked.Select(i => ExpectedSpans[i]), actual);
    }

    [Fact]
    public void Log_records_serialize_to_exactly_the_captured_json()
    {
        using var serializer = NewSerializer("order-service", "staging", (resource, fields, labels) => new LogRecordSerializer(resource, fields, labels));

        for (var pass = 0; pass < 3; pass++)
        {
            var logs = Logs();
            var batch = serializer.Serialize(logs, Records.Noon)!;

            Assert.Equal(logs.Count, batch.RecordCount);
            var actual = Enumerable.Range(0, logs.Count).Select(i => RecordJson(batch, i)).ToArray();
            Assert.Equal(ExpectedLogs, actual);
        }
    }

    /// <summary>A batch serializer wired as the engine wires it: one field writer and one label registry shared by its parts.</summary>
    private static BatchSerializer<T> NewSerializer<T>(string serviceName, string environment, Func<ResourceFields, JsonFieldWriter, LabelWriter, IRecordSerializer<T>> create)
    {
        var fields = new JsonFieldWriter(MaxValueLength);
        var labels = new LabelWriter(fields, new LabelTypeRegistry(LabelKeys.Reserved));
        return new BatchSerializer<T>(TelemetrySignal.Logs, create(new ResourceFields(fields, serviceName, environment), fields, labels), 4 * 1024 * 1024, new SignalCounters());
    }

    private static List<Activity> Spans(Activity parent)
    {
        var spans = new List<Activity>
        {
            // The benchmark's HTTP server span: 9 tags as ASP.NET Core sets them.
            Records.EndedSpan("GET /orders/{id}", ActivityKind.Server, parent,
                ("http.request.method", "GET"), ("url.path", "/orders/42"), ("url.scheme", "http"), ("http.route", "/orders/{id}"),
                ("server.address", "localhost"), ("server.port", 8080), ("network.protocol.version", "1.1"),
                ("user_agent.original", "benchmark/1.0"), ("http.response.status_code", 200)),

            // A client span whose URL carries credentials, a token in its query and a fragment; 404 is an error for a client.
            Records.EndedSpan("GET", ActivityKind.Client, parent,
                ("http.request.method", "GET"), ("url.full", "https://user:pw@api.example.com/v1/items?token=secret&page=2&flag#frag"),
                ("server.address", "api.example.com"), ("http.response.status_code", 404), ("url.query", "token=secret")),

            // Legacy semantic conventions, a status code sent as a string, a relative URL.
            Records.EndedSpan("legacy", ActivityKind.Server, null,
                ("http.method", "POST"), ("http.url", "/relative/path?x=1"), ("http.status_code", "503"), ("http.route", "/relative/{p}")),

            // A database span (current and legacy names), and a statement longer than the value limit.
            Records.EndedSpan("SELECT orders", ActivityKind.Client, parent,
                ("db.system.name", "postgresql"), ("db.namespace", "shop"), ("db.query.text", "SELECT * FROM orders WHERE id = @id AND note = '" + new string('x', 250) + "'"),
                ("db.operation.name", "SELECT"), ("db.system", "ignored-older"), ("server.port", 5432)),
            Records.EndedSpan("legacy db", ActivityKind.Internal, parent,
                ("db.system", "mssql"), ("db.name", "Shop"), ("db.statement", "UPDATE \"orders\"\tSET x = 1\n"), ("db.operation", "UPDATE")),

            // A PRODUCER span with user tags whose names clash with the SDK's own labels.
            Records.EndedSpan("orders publish", ActivityKind.Producer, parent,
                ("messaging.system", "kafka"), ("span_kind", "mine"), ("http_route", "user route"), ("error_type", "user error"),
                ("context", "user context"), ("attr_context", "already prefixed")),
            Records.EndedSpan("orders receive", ActivityKind.Consumer, parent, ("messaging.destination.name", "orders")),

            // Values of every shape: numbers, booleans, non-finite doubles, arrays, dates, nulls, escaping, odd keys.
            Records.EndedSpan("values", ActivityKind.Internal, parent,
                ("int", 7), ("long", 5_000_000_000L), ("negative.long", -5_000_000_000L), ("small.long", 12L), ("double", 1.5), ("float", 2.25f),
                ("decimal", 10.125m), ("short", (short)3), ("byte", (byte)4), ("ulong", ulong.MaxValue), ("uint", uint.MaxValue),
                ("bool", true), ("false.bool", false), ("nan", double.NaN), ("infinity", double.PositiveInfinity),
                ("strings", new[] { "a", "b" }), ("ints", new[] { 1, 2 }), ("date", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)),
                ("null", null), ("   ", "blank key"), (" padded key ", "trimmed"), ("a.b", "first"), ("a b", "same label, dropped"),
                ("quote\"key", "value with \"quotes\", \\ and <html> & ü 😀 \u0001"), ("k" + new string('e', 150), "long key"),
                ("long.value", new string('v', 300)), ("{OriginalFormat}", "not a label"), ("guid", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"))),

            // Keys equal to the mapped ones but not the same string instances.
            Records.EndedSpan("runtime keys", ActivityKind.Server, parent,
                (string.Concat("http.", "route"), "/built/{id}"), (string.Concat("http.request.", "method"), "PUT"),
                (string.Concat("server.", "port"), 9090), (string.Concat("custom.", "tag"), "built")),

            // A type that changes between records: a number first, then a string, then a boolean; and the other way round.
            Records.EndedSpan("retry 1", ActivityKind.Internal, parent, ("retry.count", 3), ("attempt", "first")),
            Records.EndedSpan("retry 2", ActivityKind.Internal, parent, ("retry.count", "three"), ("attempt", 2)),
            Records.EndedSpan("retry 3", ActivityKind.Internal, parent, ("retry.count", true), ("attempt", 2.5), ("retry_count_str", "clash")),
            Records.EndedSpan("ok status", ActivityKind.Internal, parent, ("otel.status_code", "OK"), ("otel.status_description", "fine")),
            Records.EndedSpan(string.Empty, ActivityKind.Internal, null),
        };

        // An error span: status, exception event and error.type.
        var error = Records.EndedSpan("POST /checkout", ActivityKind.Server, parent,
            ("http.request.method", "POST"), ("url.path", "/checkout"), ("http.route", "/checkout"), ("http.response.status_code", 500),
            ("error.type", "System.InvalidOperationException"));
        error.SetStatus(ActivityStatusCode.Error, "payment failed");
        error.AddException(new InvalidOperationException("stock is gone"));
        spans.Add(error);

        // An error from otel.status_code alone, with an exception but no description.
        var otelError = Records.EndedSpan("otel error", ActivityKind.Internal, parent, ("otel.status_code", "error"), ("error.type", 42));
        otelError.AddException(new TimeoutException("too slow"));
        spans.Add(otelError);
        return spans;
    }

    private static List<LogRecord> Logs()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"), ActivitySpanId.CreateFromString("b7ad6b7169203331"), ActivityTraceFlags.Recorded);
        var withTemplate = new LogRecord
        {
            Timestamp = Records.Noon,
            Level = LogLevel.Warning,
            Category = "Orders.OrderService",
            Template = "Order {OrderId} took {Elapsed} ms for {Customer} ({Big})",
        };
        withTemplate.TemplateValues.Add(new RecordTag("OrderId", 42));
        withTemplate.TemplateValues.Add(new RecordTag("Elapsed", 12.5));
        withTemplate.TemplateValues.Add(new RecordTag("Customer", "Zoë"));
        withTemplate.TemplateValues.Add(new RecordTag("Big", 6_000_000_000L));
        withTemplate.Values.Add(new("Scope.Value", true));
        withTemplate.Values.Add(new("OrderId", 99)); // already written from the template

        var http = Records.Log("request done", LogLevel.Debug, attributes: [new("Elapsed", "slow"), new("context", "user context")]);
        http.HttpMethod = "GET";
        http.HttpPath = "/orders/42";
        http.TraceId = parent.TraceId;
        http.SpanId = parent.SpanId;

        return
        [
            Records.Log("Order 42 shipped to Berlin", attributes: [new("OrderId", 42), new("City", "Berlin"), new("{OriginalFormat}", "Order {OrderId} shipped to {City}")]),
            withTemplate,
            http,
            Records.Log("", LogLevel.Critical, exception: new InvalidOperationException("stock is gone")),
            Records.Log("  ", LogLevel.Trace),
            Records.Log(new string('m', 250), LogLevel.Error, attributes: [new("severity", "mine"), new("exception_type", "mine too"), new("Amount", 19.99m), new("Count", 3L)]),
        ];
    }

    private static SpanRecord ToRecord(Activity activity)
    {
        var record = new SpanRecord();
        record.CopyFrom(activity);
        return record;
    }

    private static string RecordJson(SerializedBatch batch, int index)
    {
        var payload = BatchRanges.Json(batch, new RecordRange(index, 1)).Span;
        return Encoding.UTF8.GetString(payload[1..^1]);
    }

    private static string WithPlaceholders(string json, SpanRecord span)
    {
        json = json.Replace(span.TraceId.ToString(), "TRACE", StringComparison.Ordinal).Replace(span.SpanId.ToString(), "SPAN", StringComparison.Ordinal);
        return span.HasParent ? json.Replace(span.ParentSpanId.ToString(), "PARENT", StringComparison.Ordinal) : json;
    }

    private static readonly string[] ExpectedSpans =
    [
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"GET /orders/{id}","kind":"SERVER","duration_ms":42.5,"status":"OK","http_method":"GET","http_path":"/orders/42","http_status_code":200,"labels":{"http_route":"/orders/{id}","url_scheme":"http","server_address":"localhost","server_port":8080,"network_protocol_version":"1.1","user_agent_original":"benchmark/1.0"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"GET","kind":"CLIENT","duration_ms":42.5,"status":"ERROR","http_method":"GET","http_path":"/v1/items","http_status_code":404,"labels":{"http_url":"https://api.example.com/v1/items?token=REDACTED&page=REDACTED&flag=REDACTED","error_type":"404","server_address":"api.example.com"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":null,"name":"legacy","kind":"SERVER","duration_ms":42.5,"status":"ERROR","http_method":"POST","http_path":"/relative/path%3Fx=1","http_status_code":503,"labels":{"http_url":"file:///relative/path%3Fx=1","http_route":"/relative/{p}","error_type":"503"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"SELECT orders","kind":"CLIENT","duration_ms":42.5,"status":"OK","labels":{"db_system":"ignored-older","db_name":"shop","db_statement":"SELECT * FROM orders WHERE id = @id AND note = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…[truncated]","db_operation":"SELECT","server_port":5432}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"legacy db","kind":"INTERNAL","duration_ms":42.5,"status":"OK","labels":{"db_system":"mssql","db_name":"Shop","db_statement":"UPDATE \"orders\"\tSET x = 1\n","db_operation":"UPDATE"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"orders publish","kind":"INTERNAL","duration_ms":42.5,"status":"OK","labels":{"span_kind":"PRODUCER","messaging_system":"kafka","attr_span_kind":"mine","attr_http_route":"user route","attr_error_type":"user error","attr_context":"user context"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"orders receive","kind":"INTERNAL","duration_ms":42.5,"status":"OK","labels":{"span_kind":"CONSUMER","messaging_destination_name":"orders"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"values","kind":"INTERNAL","duration_ms":42.5,"status":"OK","labels":{"int":7,"long":5000000000,"negative_long":-5000000000,"small_long":12,"double":1.5,"float":2.25,"decimal":10.125,"short":3,"byte":4,"ulong":18446744073709551615,"uint":4294967295,"bool":true,"false_bool":false,"nan":"NaN","infinity":"Infinity","strings":"a, b","ints":"1, 2","date":"2026-01-02T03:04:05.0000000Z","padded_key":"trimmed","a_b":"first","quote\"key":"value with \"quotes\", \\ and <html> & ü \uD83D\uDE00 \u0001","keeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee":"long key","long_value":"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv…[truncated]","guid":"0f8fad5b-d9cb-469f-a165-70867728950e"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"runtime keys","kind":"SERVER","duration_ms":42.5,"status":"OK","http_method":"PUT","labels":{"http_route":"/built/{id}","server_port":9090,"custom_tag":"built"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"retry 1","kind":"INTERNAL","duration_ms":42.5,"status":"OK","labels":{"retry_count":3,"attempt":"first"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"retry 2","kind":"INTERNAL","duration_ms":42.5,"status":"OK","labels":{"retry_count_str":"three","attempt":"2"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"retry 3","kind":"INTERNAL","duration_ms":42.5,"status":"OK","labels":{"retry_count_str":"True","attempt":"2.5"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"ok status","kind":"INTERNAL","duration_ms":42.5,"status":"OK","labels":{}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":null,"name":"","kind":"INTERNAL","duration_ms":42.5,"status":"OK","labels":{}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"POST /checkout","kind":"SERVER","duration_ms":42.5,"status":"ERROR","http_method":"POST","http_path":"/checkout","http_status_code":500,"labels":{"http_route":"/checkout","error_type":"System.InvalidOperationException","error_message":"payment failed","exception_type":"System.InvalidOperationException","exception_message":"stock is gone","exception_stacktrace":"System.InvalidOperationException: stock is gone"}}""",
        """{"type":"span","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service é","environment":"production","trace_id":"TRACE","span_id":"SPAN","parent_span_id":"PARENT","name":"otel error","kind":"INTERNAL","duration_ms":42.5,"status":"ERROR","labels":{"error_type":"System.TimeoutException","error_message":"too slow","exception_type":"System.TimeoutException","exception_message":"too slow","exception_stacktrace":"System.TimeoutException: too slow"}}""",
    ];

    private static readonly string[] ExpectedLogs =
    [
        """{"type":"log","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service","environment":"staging","level":"INFO","message":"Order 42 shipped to Berlin","labels":{"context":"Tests.Category","OrderId":42,"City":"Berlin"}}""",
        """{"type":"log","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service","environment":"staging","level":"WARN","message":"Order 42 took 12.5 ms for Zoë (6000000000)","labels":{"context":"Orders.OrderService","OrderId":42,"Elapsed":12.5,"Customer":"Zoë","Big":6000000000,"Scope_Value":true}}""",
        """{"type":"log","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service","environment":"staging","level":"DEBUG","message":"request done","trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","http_method":"GET","http_path":"/orders/42","labels":{"context":"Tests.Category","Elapsed_str":"slow","attr_context":"user context"}}""",
        """{"type":"log","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service","environment":"staging","level":"ERROR","message":"stock is gone","labels":{"context":"Tests.Category","severity":"critical","exception_type":"System.InvalidOperationException","exception_message":"stock is gone","exception_stacktrace":"System.InvalidOperationException: stock is gone"}}""",
        """{"type":"log","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service","environment":"staging","level":"DEBUG","message":"(empty message)","labels":{"context":"Tests.Category"}}""",
        """{"type":"log","timestamp":"2026-11-23T12:00:00.123Z","service_name":"order-service","environment":"staging","level":"ERROR","message":"mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm…[truncated]","labels":{"context":"Tests.Category","attr_severity":"mine","attr_exception_type":"mine too","Amount":19.99,"Count":3}}""",
    ];
}
