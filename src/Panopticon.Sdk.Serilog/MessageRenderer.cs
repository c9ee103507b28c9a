using System.Runtime.CompilerServices;
using Serilog.Events;
using Serilog.Parsing;

namespace Panopticon.Sdk.Serilog;

/// <summary>
/// Renders an event's message as the user wrote it: string values as they are, without the quotes Serilog's own
/// rendering puts around them (<c>Fetching order 12 for Ada</c>, not <c>... for "Ada"</c>); format strings and
/// alignment are honoured. Structured values render as Serilog renders them.
/// </summary>
/// <remarks>
/// Each template is turned once into a <see cref="Plan"/> (its tokens as an array, and the whole text when it has no
/// property), kept beside the template for as long as the template lives: Serilog caches its parsed templates, so the
/// same instance comes with every event of a call site.
/// </remarks>
internal sealed class MessageRenderer
{
    private readonly ConditionalWeakTable<MessageTemplate, Plan> _plans = new();

    public string Render(LogEvent logEvent)
    {
        var plan = _plans.GetValue(logEvent.MessageTemplate, static template => new Plan(template));
        return plan.Text ?? Render(plan, logEvent.Properties);
    }

    private static string Render(Plan plan, IReadOnlyDictionary<string, LogEventPropertyValue> properties)
    {
        var message = new DefaultInterpolatedStringHandler(plan.LiteralLength, plan.Tokens.Length);
        foreach (var token in plan.Tokens)
        {
            if (token is TextToken text)
            {
                message.AppendLiteral(text.Text);
            }
            else if (token is PropertyToken property)
            {
                Append(ref message, property, properties);
            }
        }

        return message.ToStringAndClear();
    }

    private static void Append(ref DefaultInterpolatedStringHandler message, PropertyToken token, IReadOnlyDictionary<string, LogEventPropertyValue> properties)
    {
        if (!properties.TryGetValue(token.PropertyName, out var value))
        {
            // As Serilog does: a hole without a value shows as written.
            message.AppendLiteral(token.ToString());
            return;
        }

        var alignment = token.Alignment is { } align ? (align.Direction == AlignmentDirection.Left ? -align.Width : align.Width) : 0;
        switch (value)
        {
            case ScalarValue { Value: string text }:
                message.AppendFormatted(text, alignment);
                break;
            case ScalarValue { Value: null }:
                message.AppendFormatted("null", alignment);
                break;
            case ScalarValue scalar:
                message.AppendFormatted(scalar.Value, alignment, token.Format);
                break;
            default:
                message.AppendFormatted(value.ToString(token.Format, null), alignment);
                break;
        }
    }

    private sealed class Plan
    {
        public Plan(MessageTemplate template)
        {
            Tokens = [.. template.Tokens];
            LiteralLength = Tokens.OfType<TextToken>().Sum(t => t.Text.Length);
            if (!Tokens.OfType<PropertyToken>().Any())
            {
                Text = string.Concat(Tokens.OfType<TextToken>().Select(t => t.Text));
            }
        }

        public MessageTemplateToken[] Tokens { get; }

        public int LiteralLength { get; }

        /// <summary>The whole message, when the template has no property: rendered once.</summary>
        public string? Text { get; }
    }
}
