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
            Assert.Equal(logger.Message, new MessageTemplates().Format(original, values).ToString());
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

        Assert.Equal("Order 1 shipped", templates.Format(template, [new("OrderId", 1)]).ToString());
        Assert.Equal("Order 2 shipped", templates.Format(template, [new("OrderId", 2)]).ToString());
    }

    [Fact]
    public void A_long_message_formats_whole_and_the_next_short_one_carries_nothing_over()
    {
        var templates = new MessageTemplates();
        var city = new string('b', 5_000); // longer than the reused buffer

        Assert.Equal("Shipped to " + city, templates.Format("Shipped to {City}", [new("City", city)]).ToString());
        Assert.Equal("Shipped to ann", templates.Format("Shipped to {City}", [new("City", "ann")]).ToString());
    }

    [Fact]
    public void Many_arguments_format_in_order()
    {
        var templates = new MessageTemplates();
        var names = Enumerable.Range(0, 12).Select(i => "A" + i).ToList();
        var template = string.Join(" ", names.Select(n => "{" + n + "}"));

        var message = templates.Format(template, [.. names.Select((n, i) => new RecordTag(n, i))]).ToString();

        Assert.Equal(string.Join(" ", Enumerable.Range(0, 12)), message);
    }

    [Fact]
    public void Formatting_keeps_no_reference_to_the_values()
    {
        var templates = new MessageTemplates();
        var value = FormatWithFreshValue(templates);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(value.IsAlive, "the formatter's reused argument array still holds a formatted value");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference FormatWithFreshValue(MessageTemplates templates)
    {
        var customer = new Uri("https://example.test/customers/7");
        Assert.Equal("Customer https://example.test/customers/7", templates.Format("Customer {Customer}", [new("Customer", customer)]).ToString());
        return new WeakReference(customer);
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
