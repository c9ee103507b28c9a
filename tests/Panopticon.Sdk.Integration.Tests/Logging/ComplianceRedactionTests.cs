using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.Logging;

/// <summary>
/// Microsoft.Extensions.Compliance redaction as an app sets it up: a <c>[LoggerMessage]</c> method with a
/// data-classified parameter, <c>EnableRedaction()</c> and a redactor for that classification.
/// </summary>
public sealed partial class ComplianceRedactionTests
{
    private const string Email = "ann@example.com";

    [Fact]
    public async Task A_classified_parameter_is_sent_redacted_in_its_label_and_the_message()
    {
        await using var harness = new LoggingHarness(logging: builder =>
        {
            builder.EnableRedaction();
            builder.Services.AddRedaction(redaction => redaction.SetRedactor<StarRedactor>(new DataClassificationSet(PersonalData.Classification)));
        });

        SignedIn(harness.Logger("Auth"), Email, 42);
        SignedIn(harness.Logger("Auth"), "bob@example.com", 7);

        var logs = await harness.FlushLogsAsync();
        Assert.Equal(2, logs.Count);
        Assert.Equal("User ***** signed in, attempt 42", logs[0].Str("message"));
        Assert.Equal(42, logs[0].GetProperty("labels").GetProperty("Attempt").GetInt32());
        Assert.All(logs, log => Assert.Equal("*****", log.Label("Email")));
        Assert.All(logs, log => Assert.DoesNotContain("@example.com", log.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_EnableRedaction_a_classified_parameter_is_left_out_never_sent_raw()
    {
        // The redactor is registered but the logging pipeline does not use it: the framework then hands no provider
        // the classified value at all.
        await using var harness = new LoggingHarness(logging: builder =>
            builder.Services.AddRedaction(redaction => redaction.SetRedactor<StarRedactor>(new DataClassificationSet(PersonalData.Classification))));

        SignedIn(harness.Logger("Auth"), Email, 42);

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.False(log.HasLabel("Email"));
        Assert.DoesNotContain(Email, log.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(42, log.GetProperty("labels").GetProperty("Attempt").GetInt32());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Email} signed in, attempt {Attempt}")]
    private static partial void SignedIn(ILogger logger, [PersonalData] string email, int attempt);

    /// <summary>The app's own taxonomy, as the framework's docs write it.</summary>
    private static class PersonalData
    {
        public static DataClassification Classification { get; } = new("Tests", "PersonalData");
    }

    [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
    private sealed class PersonalDataAttribute() : DataClassificationAttribute(PersonalData.Classification);

    /// <summary>Five stars, whatever the value's length.</summary>
    private sealed class StarRedactor : Redactor
    {
        public override int GetRedactedLength(ReadOnlySpan<char> input) => 5;

        public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
        {
            destination[..5].Fill('*');
            return 5;
        }
    }
}
