using System.Globalization;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Serialization;

namespace Panopticon.Sdk.Tests;

/// <summary>Messages formatted on the export thread must read exactly as Microsoft.Extensions.Logging formats them.</summary>
public sealed class MessageTemplateTests
{
    public static TheoryData<string, object?[]> Templates => new()
    {
        { "Order {OrderId} shipped to {City}", [42, "Berlin"] },
        { "{A,5}|{B,-4}|", [1, 2] },
        { "{Price:N2} on {When:yyyy-MM-dd} at {Rate:P1}", [1234.5, new DateTime(2026, 11, 23), 0.125] },
        { "{{literal}} {Value} }}", [7] },
        { "{{{Value}}}", [7] },
        { "prefix {{{{x}}}} {V} {{", [1] },
        { "{Missing} and {Empty}", [null, ""] },
        { "no holes {{ here", [] },
        { "{A} {A}", [1, 2] },
        { "{1} then {0}", ["first", "second"] },
        { "{Hex:X8} {Big} {Small} {Flag} {Level}", [255, 9_000_000_000L, 0.1, true, LogLevel.Warning] },
        { "{Money:C} {Decimal} {Float} {Span} {Offset:O} {Id}", [1.5m, 2.50m, 1.25f, TimeSpan.FromSeconds(90), new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.FromHours(1)), Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff")] },
        { "Grüße {Name} — {Count}", ["Zoë", -3] },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void Formats_as_the_framework_does(string template, object?[] arguments)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // both must ignore the thread's culture
        try
        {
            var logger = new CapturingLogger();
#pragma warning disable CA2254 // the template varies on purpose
            logger.LogInformation(template, arguments);
#pragma warning restore CA2254

            var state = logger.State!;
            var values = new List<RecordTag>();
            for (var i = 0; i < state.Count - 1; i++)
            {
                values.Add(new RecordTag(state[i].Key, state[i].Value));
            }

            var original = (string)state[^1].Value!;
            Assert.Equal(logger.Message, new MessageTemplates().Format(original, values));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_cached_template_formats_new_values()
    {
        var templates = new MessageTemplates();
        const string template = "Order {OrderId} shipped";

        Assert.Equal("Order 1 shipped", templates.Format(template, [new("OrderId", 1)]));
        Assert.Equal("Order 2 shipped", templates.Format(template, [new("OrderId", 2)]));
    }

    private sealed class CapturingLogger : ILogger
    {
        public string? Message { get; private set; }

        public IReadOnlyList<KeyValuePair<string, object?>>? State { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Message = formatter(state, exception);
            State = (IReadOnlyList<KeyValuePair<string, object?>>)state!;
        }
    }
}
