using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>Writes one record as one JSON object of the wire protocol.</summary>
internal interface IRecordSerializer<in T>
{
    void Write(Utf8JsonWriter writer, T record);
}
