using System.Text.Json;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Serialization;

namespace Panopticon.Sdk.Tests;

/// <summary>Request bodies are slices of the serialized batch: every split and half must still be its own JSON array.</summary>
public sealed class BatchSerializerTests
{
    [Fact]
    public void Splits_and_halves_are_each_the_json_array_of_exactly_their_records_around_dropped_ones()
    {
        var counters = new SignalCounters();
        using var serializer = new BatchSerializer<string>(new NameSerializer(), maxBatchBytes: 1024);
        string[] records = ["bad", "r0", "r1", "big", "r2", "bad", "r3", "r4", "r5", "r6", "bad"];

        serializer.Serialize(records, counters);

        Assert.Equal(7, serializer.Count);
        Assert.Equal(3, counters.DroppedFor(DropReason.Unserializable));
        Assert.Equal(1, counters.DroppedFor(DropReason.TooLarge));
        var whole = new RecordRange(0, serializer.Count);
        Assert.Equal(["r0", "r1", "r2", "r3", "r4", "r5", "r6"], NamesOf(serializer.Payload(whole)));

        // A 413 halves a range, and each half again; the halves are sent one after another.
        var (first, second) = whole.Halve();
        var (secondA, secondB) = second.Halve();
        Assert.Equal(["r0", "r1", "r2"], NamesOf(serializer.Payload(first)));
        Assert.Equal(["r3", "r4"], NamesOf(serializer.Payload(secondA)));
        Assert.Equal(["r5", "r6"], NamesOf(serializer.Payload(secondB)));
        Assert.Equal(["r4"], NamesOf(serializer.Payload(new RecordRange(4, 1))));

        // Separators overwritten for earlier payloads are back: the whole batch reads as before.
        Assert.Equal(["r0", "r1", "r2", "r3", "r4", "r5", "r6"], NamesOf(serializer.Payload(whole)));
    }

    [Fact]
    public void Ranges_split_by_size_stay_under_MaxBatchBytes_and_cover_every_record_once()
    {
        using var serializer = new BatchSerializer<string>(new NameSerializer(), maxBatchBytes: 1024);
        var records = Enumerable.Range(0, 100).Select(i => $"record-{i:D3}").ToList();

        serializer.Serialize(records, new SignalCounters());
        var ranges = serializer.SplitBySize();

        Assert.True(ranges.Count > 1);
        var names = new List<string>();
        foreach (var range in ranges)
        {
            var payload = serializer.Payload(range);
            Assert.InRange(payload.Length, 2, 1024);
            names.AddRange(NamesOf(payload));
        }

        Assert.Equal(records, names);
    }

    [Fact]
    public void A_batch_with_every_record_dropped_has_no_ranges()
    {
        using var serializer = new BatchSerializer<string>(new NameSerializer(), maxBatchBytes: 1024);

        serializer.Serialize(["bad", "big"], new SignalCounters());

        Assert.Equal(0, serializer.Count);
        Assert.Empty(serializer.SplitBySize());
    }

    private static List<string> NamesOf(ReadOnlyMemory<byte> payload)
    {
        using var document = JsonDocument.Parse(payload, new JsonDocumentOptions());
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("n").GetString()!).ToList();
    }

    /// <summary>Writes <c>{"n":name}</c>; "bad" throws half-way through its object, "big" exceeds any batch.</summary>
    private sealed class NameSerializer : IRecordSerializer<string>
    {
        public void Write(Utf8JsonWriter writer, string record)
        {
            writer.WriteStartObject();
            if (record == "bad")
            {
                writer.WriteString("n", "partial");
                writer.Flush(); // bytes reach the buffer before the failure, so they must be rolled back
                throw new InvalidOperationException("unserializable");
            }

            writer.WriteString("n", record == "big" ? new string('x', 2000) : record);
            writer.WriteEndObject();
        }
    }
}
