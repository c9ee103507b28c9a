using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>Writes one record as one JSON object of the wire protocol.</summary>
internal interface IRecordSerializer<in T>
{
    void Write(Utf8JsonWriter writer, T record);

    /// <summary>Runs the application's hooks over the record before <see cref="Write"/>; <see langword="false"/>: a hook filtered it out.</summary>
    bool Prepare(T record) => true;
}
