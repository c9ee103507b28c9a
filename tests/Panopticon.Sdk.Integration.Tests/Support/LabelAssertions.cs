using System.Text.Json;

namespace Panopticon.Sdk.Integration.Tests.Support;

internal static class JsonRecord
{
    public static string? Str(this JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static string? Label(this JsonElement record, string name) =>
        record.GetProperty("labels").TryGetProperty(name, out var value) ? value.ToString() : null;

    public static bool HasLabel(this JsonElement record, string name) => record.GetProperty("labels").TryGetProperty(name, out _);

    public static int? Int(this JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
