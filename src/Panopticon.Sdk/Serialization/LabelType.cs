namespace Panopticon.Sdk.Serialization;

/// <summary>The JSON type a label key was first seen with; the store maps each key to one type.</summary>
internal enum LabelType : byte
{
    String,
    Number,
    Boolean,
}
