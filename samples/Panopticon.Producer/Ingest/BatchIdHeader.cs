namespace Panopticon.Producer.Ingest;

/// <summary>Reads <c>X-Panopticon-Batch-Id</c>: the same id on every retry of a batch, so a repeat is stored once.</summary>
internal static class BatchIdHeader
{
    public const string Name = "X-Panopticon-Batch-Id";

    private const int MaxLength = 128;

    /// <summary>False (with a reason) when the header is present but unusable.</summary>
    public static bool TryRead(HttpRequest request, out string? batchId, out string? reason)
    {
        batchId = null;
        reason = null;
        var values = request.Headers[Name];
        if (values.Count == 0)
        {
            return true;
        }

        var value = values.Count == 1 ? values[0]?.Trim() : null;
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || !value.All(c => c is > ' ' and < '\u007f'))
        {
            reason = $"{Name} must be one printable ASCII token of at most {MaxLength} characters";
            return false;
        }

        batchId = value;
        return true;
    }
}
