using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Panopticon.Producer.Tests;

/// <summary>One hostile ingest request: route, headers and raw body bytes (sent as is, no client-side validation).</summary>
internal sealed record FuzzCase(string Kind, string Path, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers, string Method = "POST")
{
    public override string ToString() => $"{Kind} {Method} {Path} ({Body.Length} bytes)";
}

/// <summary>
/// Generates malformed, truncated, oversized and hostile requests from a seeded <see cref="Random"/>, so a failure
/// is reproducible from the seed and case index.
/// </summary>
internal sealed class FuzzCases(int seed, int maxBodyBytes)
{
    private static readonly string[] Routes = ["/sdk/logs", "/sdk/traces", "/ingest/logs"];

    private static readonly string[] HostileValues =
    [
        "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "1e999999", "-1e999999", "-0", "1.0e-400", "123456789012345678901234567890",
        "\"\"", "null", "true", "[]", "{}", "[[[[[[]]]]]]", "{\"a\":{\"b\":{\"c\":1}}}", "\"\\\"\"", "\"'; DROP TABLE spans; --\"",
        "\"%_\\\\\"", "\"<img src=x onerror=alert(1)>\"", "\"\u202e\u0000\u200b\"", "9007199254740993", "0x10", "NaN", "Infinity",
    ];

    private static readonly string[] Fields =
    [
        "type", "timestamp", "service_name", "environment", "level", "message", "trace_id", "span_id", "parent_span_id",
        "name", "kind", "status", "duration_ms", "http_method", "http_path", "http_status_code", "labels", "__proto__", "constructor",
    ];

    private const string InsertedChars = "{}[]\",:\\0e-+ \u0000";

    private static readonly string[] Encodings = ["gzip", "GZIP", "x-gzip", " gzip ", "gzip, gzip", "identity,gzip", "br", "deflate", "", "*", "gzip;q=1"];

    private readonly Random _random = new(seed);

    public IEnumerable<FuzzCase> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return (i % 12) switch
            {
                0 => RandomBytes(),
                1 => Truncated(),
                2 => Mutated(),
                3 => DeepNesting(),
                4 => HostileField(),
                5 => Oversized(),
                6 => GzipVariant(),
                7 => HostileHeaders(),
                8 => HostileLabels(),
                9 => WrongShapes(),
                10 => BadEncodingText(),
                _ => Mutated(),
            };
        }
    }

    private FuzzCase RandomBytes()
    {
        var body = new byte[_random.Next(0, 4096)];
        _random.NextBytes(body);
        return Case("random-bytes", body);
    }

    private FuzzCase Truncated()
    {
        var body = ValidBatch();
        return Case("truncated", body[.._random.Next(0, body.Length)]);
    }

    private FuzzCase Mutated()
    {
        var body = new List<byte>(ValidBatch());
        var mutations = _random.Next(1, 12);
        for (var m = 0; m < mutations && body.Count > 0; m++)
        {
            var at = _random.Next(body.Count);
            switch (_random.Next(4))
            {
                case 0:
                    body[at] = (byte)_random.Next(256);
                    break;
                case 1:
                    body.RemoveAt(at);
                    break;
                case 2:
                    body.Insert(at, (byte)InsertedChars[_random.Next(InsertedChars.Length)]);
                    break;
                default:
                    body[at] = (byte)(body[at] ^ (1 << _random.Next(8)));
                    break;
            }
        }

        return Case("mutated", [.. body]);
    }

    private FuzzCase DeepNesting()
    {
        var depth = _random.Next(2) == 0 ? _random.Next(60, 70) : _random.Next(1_000, maxBodyBytes / 2);
        var open = _random.Next(2) == 0 ? "[" : "[{\"labels\":";
        var text = new StringBuilder().Insert(0, open, depth).Append(']', _random.Next(2) == 0 ? depth : 0).ToString();
        return Case("deep-nesting", Encoding.UTF8.GetBytes(text));
    }

    private FuzzCase HostileField()
    {
        var record = _random.Next(2) == 0 ? Wire.Log() : Wire.Span(Wire.NewTraceId(), Wire.NewSpanId());
        var json = record.ToJsonString();
        var field = Fields[_random.Next(Fields.Length)];
        var value = HostileValues[_random.Next(HostileValues.Length)];
        var hostile = json.Length > 2 ? json[..^1] + $",\"{field}\":{value}}}" : json;
        return Case("hostile-field", Encoding.UTF8.GetBytes("[" + hostile + "]"));
    }

    private FuzzCase Oversized()
    {
        switch (_random.Next(3))
        {
            case 0:
            {
                var body = new byte[maxBodyBytes + _random.Next(1, 100_000)];
                Array.Fill(body, (byte)' ');
                body[0] = (byte)'[';
                body[^1] = (byte)']';
                return Case("oversized", body);
            }

            case 1:
            {
                var inflated = new byte[maxBodyBytes * _random.Next(2, 40)];
                Array.Fill(inflated, (byte)'0');
                return Case("gzip-bomb", Wire.Gzip(inflated, System.IO.Compression.CompressionLevel.SmallestSize), ("Content-Encoding", "gzip"));
            }

            default:
            {
                var message = new string('x', maxBodyBytes);
                return Case("oversized-string", Encoding.UTF8.GetBytes(Wire.Array(Wire.Log(message)).ToJsonString()));
            }
        }
    }

    private FuzzCase GzipVariant()
    {
        var valid = ValidBatch();
        var encoding = Encodings[_random.Next(Encodings.Length)];
        byte[] body = _random.Next(5) switch
        {
            0 => Wire.Gzip(valid),
            1 => Wire.Gzip(valid)[.._random.Next(0, 30)],
            2 => [0x1f, 0x8b, 0x08, 0x00, .. RandomBytesOf(_random.Next(0, 500))],
            3 => Wire.Gzip(Wire.Gzip(valid)),
            _ => Wire.Gzip(RandomBytesOf(_random.Next(0, 2000))),
        };
        return Case("gzip", body, ("Content-Encoding", encoding));
    }

    private FuzzCase HostileHeaders()
    {
        var headers = new List<(string, string)>();
        switch (_random.Next(6))
        {
            case 0:
                headers.Add(("X-API-Key", new string('k', _random.Next(1, 16_000))));
                break;
            case 1:
                headers.Add(("X-Panopticon-Batch-Id", RandomAscii(_random.Next(0, 400))));
                break;
            case 2:
                headers.Add(("Content-Type", _random.Next(2) == 0 ? "text/plain; charset=utf-16" : "multipart/form-data; boundary=x"));
                break;
            case 3:
                headers.Add(("X-Panopticon-Batch-Id", "a"));
                headers.Add(("X-Panopticon-Batch-Id", "b"));
                break;
            case 4:
                headers.Add(("Content-Encoding", RandomAscii(_random.Next(1, 40))));
                break;
            default:
                headers.Add(("X-" + RandomAscii(8).Replace(':', '-').Replace(' ', '-'), RandomAscii(_random.Next(0, 200))));
                break;
        }

        var noKey = _random.Next(4) == 0;
        return new FuzzCase("hostile-headers", Route(), ValidBatch(), Headers(noKey ? null : ProducerFactory.Key, headers));
    }

    private FuzzCase HostileLabels()
    {
        var labels = new JsonObject();
        var count = _random.Next(0, 3_000);
        for (var i = 0; i < count; i++)
        {
            labels[$"k{i}"] = (i % 3) switch { 0 => JsonValue.Create(i), 1 => JsonValue.Create("v" + i), _ => JsonValue.Create(i % 2 == 0) };
        }

        var log = Wire.Log();
        log["labels"] = labels;
        var json = log.ToJsonString();
        if (_random.Next(2) == 0)
        {
            json = json.Replace("\"k1\":", "\"k1\":{\"deep\":[1,2,{}]},\"k1b\":", StringComparison.Ordinal);
        }

        return Case("hostile-labels", Encoding.UTF8.GetBytes("[" + json + "]"));
    }

    private FuzzCase WrongShapes()
    {
        string[] shapes =
        [
            "[null]", "[[]]", "[1,2,3]", "[\"log\"]", "[{}]", "[{\"type\":null}]", "{\"0\":{}}", "[{\"type\":\"log\"},", "\"\"", "0",
            "[" + string.Join(",", Enumerable.Repeat("{}", 5000)) + "]", "[{\"type\":\"log\",\"type\":\"span\"}]", "\uFEFF[]", "[]garbage", "[] []",
        ];
        return Case("wrong-shape", Encoding.UTF8.GetBytes(shapes[_random.Next(shapes.Length)]));
    }

    private FuzzCase BadEncodingText()
    {
        // Unescaped non-ASCII text, so the re-encodings below really change the bytes.
        var json = Wire.Array(Wire.Log("héllo wörld ✓")).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        byte[] body = _random.Next(4) switch
        {
            0 => Encoding.Unicode.GetBytes(json),
            1 => Encoding.Latin1.GetBytes(json),
            2 => [.. Encoding.UTF8.GetBytes(json[..^3]), 0xC3, 0x28, .. "}]"u8.ToArray()],
            _ => [.. Encoding.UTF8.GetBytes("[{\"type\":\"log\",\"message\":\""), 0xF0, 0x28, 0x8C, 0xBC, .. "\"}]"u8.ToArray()],
        };
        return Case("bad-encoding", body);
    }

    private byte[] ValidBatch()
    {
        var traceId = Wire.NewTraceId();
        var records = Enumerable.Range(0, _random.Next(1, 5))
            .Select(_ => (JsonNode)(_random.Next(2) == 0 ? Wire.Log(traceId: traceId, spanId: Wire.NewSpanId()) : Wire.Span(traceId, Wire.NewSpanId())))
            .ToArray();
        return Encoding.UTF8.GetBytes(Wire.Array(records).ToJsonString());
    }

    private FuzzCase Case(string kind, byte[] body, params (string Name, string Value)[] headers) =>
        new(kind, Route(), body, Headers(ProducerFactory.Key, headers));

    private static List<KeyValuePair<string, string>> Headers(string? key, IEnumerable<(string Name, string Value)> extra)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (key is not null)
        {
            headers.Add(new("X-API-Key", key));
        }

        headers.AddRange(extra.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)));
        return headers;
    }

    private string Route() => Routes[_random.Next(Routes.Length)];

    private byte[] RandomBytesOf(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string RandomAscii(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)_random.Next(0x20, 0x7f);
        }

        return new string(chars).Trim();
    }

    public static string Describe(int seed, int index, FuzzCase fuzzCase) =>
        string.Create(CultureInfo.InvariantCulture, $"seed {seed}, case {index}: {fuzzCase}");
}
