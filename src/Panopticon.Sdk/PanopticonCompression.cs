namespace Panopticon.Sdk;

/// <summary>How request bodies are compressed.</summary>
public enum PanopticonCompression
{
    /// <summary>Plain JSON.</summary>
    None,

    /// <summary>gzip (<c>Content-Encoding: gzip</c>); the Producer inflates it.</summary>
    Gzip,
}
