using System.Net;
using System.Text.Json.Nodes;

namespace Panopticon.Producer.Tests;

public sealed class IngestValidationTests(ProducerFactory factory) : IClassFixture<ProducerFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/sdk/logs", "[{")]
    [InlineData("/sdk/logs", "")]
    [InlineData("/sdk/traces", "not json")]
    [InlineData("/sdk/traces", "[1,]")]
    [InlineData("/ingest/logs", "{\"type\":")]
    public async Task Malformed_json_is_400_with_a_reason(string path, string body)
    {
        using var response = await _client.SendAsync(Wire.Request(path, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("Malformed JSON", problem["title"]!.GetValue<string>());
        Assert.StartsWith("the body is not valid JSON", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/sdk/logs", "{\"type\":\"log\"}")]
    [InlineData("/sdk/traces", "{}")]
    [InlineData("/sdk/logs", "\"text\"")]
    [InlineData("/sdk/traces", "42")]
    [InlineData("/ingest/logs", "null")]
    [InlineData("/ingest/logs", "true")]
    public async Task A_body_that_is_not_an_array_is_400(string path, string body)
    {
        using var response = await _client.SendAsync(Wire.Request(path, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must be a JSON array", (await response.JsonAsync())["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fluent_bit_route_accepts_one_object_and_arrays()
    {
        var single = Wire.Log("single fluent bit record", service: "fluent-single");
        using var one = await _client.PostAsync("/ingest/logs", single);
        using var many = await _client.PostAsync("/ingest/logs", Wire.Array(Wire.Log("a", service: "fluent-single"), Wire.Log("b", service: "fluent-single")));

        Assert.Equal(HttpStatusCode.Accepted, one.StatusCode);
        Assert.Equal(1, (await one.JsonAsync())["accepted"]!.GetValue<int>());
        Assert.Equal(2, (await many.JsonAsync())["accepted"]!.GetValue<int>());
        var logs = await (await _client.GetAsync("/api/logs?service=fluent-single")).JsonAsync();
        Assert.Equal(3, logs["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task All_valid_batch_is_202_with_success_and_count()
    {
        var traceId = Wire.NewTraceId();
        var root = Wire.NewSpanId();
        using var response = await _client.PostAsync("/sdk/traces", Wire.Array(
            Wire.Span(traceId, root),
            Wire.Span(traceId, Wire.NewSpanId(), parentSpanId: root, kind: "CLIENT", name: "GET", durationMs: 3)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal(2, body["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task Empty_array_is_accepted()
    {
        using var response = await _client.SendAsync(Wire.Request("/sdk/logs", "[]"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, (await response.JsonAsync())["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task Partial_success_stores_valid_records_and_reports_each_rejected_one()
    {
        var traceId = Wire.NewTraceId();
        var good1 = Wire.NewSpanId();
        var good2 = Wire.NewSpanId();
        var unknownField = Wire.Span(traceId, Wire.NewSpanId());
        unknownField["user_id"] = "u-1";
        var badKind = Wire.Span(traceId, Wire.NewSpanId(), kind: "PRODUCER");
        var emptyParent = Wire.Span(traceId, Wire.NewSpanId());
        emptyParent["parent_span_id"] = string.Empty;

        using var response = await _client.PostAsync("/sdk/traces", Wire.Array(
            Wire.Span(traceId, good1),
            unknownField,
            badKind,
            Wire.Span(traceId, good2, parentSpanId: good1),
            emptyParent));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(2, body["accepted"]!.GetValue<int>());
        Assert.Equal(3, body["rejected"]!.GetValue<int>());
        var errors = body["errors"]!.AsArray();
        Assert.Equal([1, 2, 4], errors.Select(e => e!["index"]!.GetValue<int>()));
        Assert.Contains("unknown field 'user_id'", errors[0]!["reason"]!.GetValue<string>());
        Assert.Contains("'kind' must be one of SERVER, CLIENT, INTERNAL", errors[1]!["reason"]!.GetValue<string>());
        Assert.Contains("'parent_span_id' must not be empty", errors[2]!["reason"]!.GetValue<string>());

        var trace = await (await _client.GetAsync($"/api/traces/{traceId}")).JsonAsync();
        Assert.Equal(new[] { good1, good2 }.Order(), trace["spans"]!.AsArray().Select(s => s!["spanId"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task A_batch_with_only_invalid_records_is_400_and_lists_them()
    {
        using var response = await _client.PostAsync("/sdk/logs", Wire.Array(Wire.Log(level: "TRACE"), Wire.Log(message: "")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(0, body["accepted"]!.GetValue<int>());
        Assert.Equal(2, body["rejected"]!.GetValue<int>());
        Assert.Contains("'level' must be one of", body["errors"]![0]!["reason"]!.GetValue<string>());
        Assert.Contains("'message' must not be empty", body["errors"]![1]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Logs_outside_a_trace_are_accepted_without_ids()
    {
        using var response = await _client.PostAsync("/sdk/logs", Wire.Array(Wire.Log("startup finished", service: "no-trace-service")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var logs = await (await _client.GetAsync("/api/logs?service=no-trace-service")).JsonAsync();
        var item = Assert.Single(logs["items"]!.AsArray());
        Assert.Null(item!["traceId"]);
        Assert.Equal("startup finished", item["message"]!.GetValue<string>());
        Assert.Equal(42, item["labels"]!["order_id"]!.GetValue<int>());
    }

    [Fact]
    public async Task Rejected_reasons_are_capped_at_100_but_counted()
    {
        var records = Enumerable.Range(0, 150).Select(_ => (JsonNode)Wire.Log(level: "VERBOSE")).Append(Wire.Log()).ToArray();

        using var response = await _client.PostAsync("/sdk/logs", Wire.Array(records));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(150, body["rejected"]!.GetValue<int>());
        Assert.Equal(100, body["errors"]!.AsArray().Count);
    }

    public static TheoryData<string, string, object?, string> InvalidLogs => new()
    {
        { "type", "set", "span", "'type' must be \"log\"" },
        { "type", "remove", null, "missing required field 'type'" },
        { "timestamp", "set", "yesterday", "'timestamp' must be an ISO-8601" },
        { "timestamp", "set", "2025-01-31T12:00:00", "'timestamp' must be an ISO-8601" },
        { "timestamp", "set", "2025-13-31T12:00:00Z", "'timestamp' must be an ISO-8601" },
        { "timestamp", "set", 1738324800000L, "'timestamp' must be a string" },
        { "service_name", "remove", null, "missing required field 'service_name'" },
        { "service_name", "set", "", "'service_name' must not be empty" },
        { "environment", "set", 3, "'environment' must be a string" },
        { "level", "set", "info", "'level' must be one of DEBUG, INFO, WARN, ERROR" },
        { "level", "set", "CRITICAL", "'level' must be one of" },
        { "message", "remove", null, "missing required field 'message'" },
        { "trace_id", "set", "0123456789ABCDEF0123456789ABCDEF", "'trace_id' must be 32 lowercase hex" },
        { "trace_id", "set", "00000000000000000000000000000000", "not all zero" },
        { "trace_id", "set", "0123", "'trace_id' must be 32 lowercase hex" },
        { "span_id", "set", "0123456789abcdef", "'span_id' needs a 'trace_id'" },
        { "http_status_code", "set", "200", "'http_status_code' must be an integer" },
        { "http_status_code", "set", 99, "'http_status_code' must be an integer" },
        { "http_status_code", "set", 200.5, "'http_status_code' must be an integer" },
        { "http_method", "set", 1, "'http_method' must be a string" },
        { "labels", "set", "a=b", "'labels' must be an object" },
        { "labels", "json", "{\"nested\":{\"a\":1}}", "label 'nested' must be a string, number or boolean" },
        { "labels", "json", "{\"list\":[1,2]}", "label 'list' must be a string, number or boolean" },
        { "labels", "json", "{\"n\":null}", "label 'n' must be a string, number or boolean" },
        { "labels", "json", "{\"\":1}", "'labels' keys must not be empty" },
        { "severity", "set", "critical", "unknown field 'severity'" },
    };

    [Theory]
    [MemberData(nameof(InvalidLogs))]
    public async Task Invalid_log_records_are_rejected_with_a_reason(string field, string action, object? value, string reason)
    {
        var log = Wire.Log();
        Mutate(log, field, action, value);

        var body = await PostOneAsync("/sdk/logs", log);

        Assert.Contains(reason, body["errors"]![0]!["reason"]!.GetValue<string>());
    }

    public static TheoryData<string, string, object?, string> InvalidSpans => new()
    {
        { "type", "set", "log", "'type' must be \"span\"" },
        { "trace_id", "remove", null, "missing required field 'trace_id'" },
        { "span_id", "remove", null, "missing required field 'span_id'" },
        { "span_id", "set", "0123456789abcdef0", "'span_id' must be 16 lowercase hex" },
        { "span_id", "set", "0000000000000000", "not all zero" },
        { "parent_span_id", "set", "xyz", "'parent_span_id' must be 16 lowercase hex" },
        { "name", "remove", null, "missing required field 'name'" },
        { "kind", "set", "CONSUMER", "'kind' must be one of SERVER, CLIENT, INTERNAL" },
        { "status", "set", "UNSET", "'status' must be one of OK, ERROR" },
        { "duration_ms", "remove", null, "missing required field 'duration_ms'" },
        { "duration_ms", "set", "12", "'duration_ms' must be a finite number" },
        { "duration_ms", "set", -1, "'duration_ms' must not be negative" },
        { "duration_ms", "json", "1e400", "'duration_ms' must be a finite number" },
        { "attributes", "json", "{}", "unknown field 'attributes'" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpans))]
    public async Task Invalid_span_records_are_rejected_with_a_reason(string field, string action, object? value, string reason)
    {
        var span = Wire.Span(Wire.NewTraceId(), Wire.NewSpanId());
        Mutate(span, field, action, value);

        var body = await PostOneAsync("/sdk/traces", span);

        Assert.Contains(reason, body["errors"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicate_field_names_are_rejected()
    {
        var json = Wire.Array(Wire.Log()).ToJsonString().Replace("\"level\":\"INFO\"", "\"level\":\"INFO\",\"level\":\"ERROR\"", StringComparison.Ordinal);

        using var response = await _client.SendAsync(Wire.Request("/sdk/logs", json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("duplicate field 'level'", (await response.JsonAsync())["errors"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Optional_http_fields_and_timestamps_with_offsets_are_accepted()
    {
        var log = Wire.Log("served", traceId: Wire.NewTraceId(), spanId: Wire.NewSpanId());
        log["timestamp"] = "2025-01-31T13:00:00.123456+01:00";
        log["http_method"] = "GET";
        log["http_path"] = "/orders/7";
        log["http_status_code"] = 200;
        var span = Wire.Span(Wire.NewTraceId(), Wire.NewSpanId());
        span["http_method"] = null;
        span["labels"] = null;

        using var logs = await _client.PostAsync("/sdk/logs", Wire.Array(log));
        using var spans = await _client.PostAsync("/sdk/traces", Wire.Array(span));

        Assert.Equal(HttpStatusCode.Accepted, logs.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, spans.StatusCode);
    }

    private async Task<JsonNode> PostOneAsync(string path, JsonObject record)
    {
        using var response = await _client.PostAsync(path, Wire.Array(record));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(1, body["rejected"]!.GetValue<int>());
        return body;
    }

    private static void Mutate(JsonObject record, string field, string action, object? value)
    {
        switch (action)
        {
            case "remove":
                record.Remove(field);
                break;
            case "json":
                record[field] = JsonNode.Parse((string)value!);
                break;
            default:
                record[field] = value switch
                {
                    null => null,
                    string s => JsonValue.Create(s),
                    int i => JsonValue.Create(i),
                    long l => JsonValue.Create(l),
                    double d => JsonValue.Create(d),
                    _ => throw new ArgumentOutOfRangeException(nameof(value)),
                };
                break;
        }
    }
}
