using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Logging;

namespace Panopticon.Sdk.Integration.Tests.Logging;

/// <summary>
/// The framework's message states are read without boxing where the runtime can make the reader, and through their
/// interface where it cannot (Native AOT): both must copy exactly the same template and values.
/// </summary>
public sealed class TemplateCopierTests
{
    [Fact]
    public void The_unboxed_and_the_boxing_copier_copy_the_same_template_and_values()
    {
        var logger = new CopyingLogger();

        logger.LogInformation("Order {OrderId} shipped to {City} at {Price}", 42, "Berlin", 9.5);

        Assert.Equal("UnboxedTemplateCopier`1", logger.CopierType);
        Assert.Equal("Order {OrderId} shipped to {City} at {Price}", logger.Unboxed.Template);
        Assert.Equal(logger.Unboxed.Template, logger.Boxed.Template);
        Assert.Equal(["OrderId", "City", "Price"], logger.Unboxed.TemplateValues.Select(v => v.Key));
        Assert.Equal([42, "Berlin", 9.5], logger.Unboxed.TemplateValues.Select(v => v.Value));
        Assert.Equal(logger.Unboxed.TemplateValues.Select(v => (v.Key, v.Value)), logger.Boxed.TemplateValues.Select(v => (v.Key, v.Value)));
    }

    [Fact]
    public void Neither_copier_takes_a_value_that_could_still_change()
    {
        var logger = new CopyingLogger();

        logger.LogInformation("Items {Items}", new List<int> { 1, 2 });

        Assert.False(logger.UnboxedCopied);
        Assert.False(logger.BoxedCopied);
        Assert.Empty(logger.Unboxed.TemplateValues);
        Assert.Empty(logger.Boxed.TemplateValues);
    }

    /// <summary>Hands whatever state it gets to both copiers, the way the Panopticon logger does.</summary>
    private sealed class CopyingLogger : ILogger
    {
        public LogRecord Unboxed { get; } = new();

        public LogRecord Boxed { get; } = new();

        public bool UnboxedCopied { get; private set; }

        public bool BoxedCopied { get; private set; }

        public string? CopierType { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var copier = TemplateCopier<TState>.Create(checkValues: true);
            CopierType = copier.GetType().Name;
            UnboxedCopied = copier.TryCopyTemplate(Unboxed, ref state);
            BoxedCopied = new TemplateCopier<TState>.BoxingTemplateCopier(checkValues: true).TryCopyTemplate(Boxed, ref state);
        }
    }
}
