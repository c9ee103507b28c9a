using System.Text.Json;
using Microsoft.Extensions.Options;
using Panopticon.Producer.Configuration;
using Panopticon.Producer.Hosting;
using Panopticon.Producer.Storage;

namespace Panopticon.Producer.Ingest;

/// <summary>
/// One ingest request after authentication: read the (possibly gzip) body within the limit, parse, validate each
/// record, store the valid ones with the batch id in one transaction, and answer 202, 200 (partial) or 4xx.
/// </summary>
internal sealed partial class IngestHandler(ITelemetryStore store, IOptionsMonitor<ProducerOptions> options, ILogger<IngestHandler> logger)
{
    private const int MaxReportedErrors = 100;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    public async Task<IResult> HandleAsync(HttpContext context, IngestRoute route)
    {
        var cancellationToken = context.RequestAborted;
        if (!BatchIdHeader.TryRead(context.Request, out var batchId, out var headerError))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid header", headerError!);
        }

        var body = await BoundedBodyReader.ReadAsync(context.Request, options.CurrentValue.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        switch (body.Status)
        {
            case BodyReadStatus.TooLarge:
                return Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", body.Reason!);
            case BodyReadStatus.CorruptEncoding:
                return Problem(StatusCodes.Status400BadRequest, "Corrupt body", body.Reason!);
            case BodyReadStatus.UnsupportedEncoding:
                return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported encoding", body.Reason!);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Body, ParseOptions);
        }
        catch (JsonException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"the body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array && !(route.AcceptsSingleObject && root.ValueKind == JsonValueKind.Object))
            {
                var expected = route.AcceptsSingleObject ? "a JSON array of records or one record object" : "a JSON array of records";
                return Problem(StatusCodes.Status400BadRequest, "Invalid body", $"the body must be {expected}");
            }

            return route.IsLogs
                ? await StoreAsync(root, batchId, route, RecordValidator.ValidateLog, store.StoreLogsAsync, cancellationToken).ConfigureAwait(false)
                : await StoreAsync(root, batchId, route, RecordValidator.ValidateSpan, store.StoreSpansAsync, cancellationToken).ConfigureAwait(false);
        }
    }

    private delegate T? Validate<T>(JsonElement element, out string? reason);

    private async Task<IResult> StoreAsync<T>(
        JsonElement root,
        string? batchId,
        IngestRoute route,
        Validate<T> validate,
        Func<string?, IReadOnlyList<T>, CancellationToken, Task<BatchOutcome>> save,
        CancellationToken cancellationToken)
        where T : class
    {
        var accepted = new List<T>();
        var errors = new List<RecordError>();
        var rejected = 0;
        var index = 0;
        foreach (var element in root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : Single(root))
        {
            T? record;
            string? reason;
            try
            {
                record = validate(element, out reason);
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses to decode some escapes (e.g. a lone surrogate) into a string.
                record = null;
                reason = "record contains a string that is not valid Unicode";
            }

            if (record is not null)
            {
                accepted.Add(record);
            }
            else
            {
                rejected++;
                if (errors.Count < MaxReportedErrors)
                {
                    errors.Add(new RecordError(index, reason ?? "invalid record"));
                }
            }

            index++;
        }

        if (rejected > 0 && accepted.Count == 0)
        {
            // Nothing to store: a plain client error, so senders count the batch as failed rather than delivered.
            return TypedResults.Json(new IngestPartial(0, rejected, errors), ProducerJsonContext.Web.IngestPartial, statusCode: StatusCodes.Status400BadRequest);
        }

        var outcome = await save(batchId, accepted, cancellationToken).ConfigureAwait(false);
        if (outcome.Duplicate)
        {
            LogDuplicate(route.Signal);
            return TypedResults.Json(new IngestAccepted(true, outcome.Accepted, Duplicate: true), ProducerJsonContext.Web.IngestAccepted, statusCode: StatusCodes.Status202Accepted);
        }

        return rejected == 0
            ? TypedResults.Json(new IngestAccepted(true, outcome.Accepted), ProducerJsonContext.Web.IngestAccepted, statusCode: StatusCodes.Status202Accepted)
            : TypedResults.Json(new IngestPartial(outcome.Accepted, rejected, errors), ProducerJsonContext.Web.IngestPartial, statusCode: StatusCodes.Status200OK);
    }

    private static IEnumerable<JsonElement> Single(JsonElement element)
    {
        yield return element;
    }

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Repeated {Signal} batch acknowledged without storing it again")]
    private partial void LogDuplicate(string signal);
}
