using System.Diagnostics.Tracing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Panopticon.Sdk.Integration.Tests.EndToEnd;

/// <summary>An invalid option is the user's mistake: the app stops with the validation message and nothing else.</summary>
public sealed class InvalidOptionsTests
{
    [Fact]
    public async Task An_invalid_option_stops_the_app_with_its_message_and_reports_no_internal_error()
    {
        using var listener = new SdkEventListener();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Panopticon:ApiKey"] = "test-key",
            ["Panopticon:Endpoint"] = "htps://x",
        });
        builder.Services.AddPanopticonMonitoring(builder.Configuration).AddEntityFrameworkCore();
        await using var app = builder.Build();
        app.MapGet("/", () => "ok");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Equal("Panopticon:Endpoint 'htps://x' must be an absolute http(s) URL.", Assert.Single(error.Failures));
        Assert.DoesNotContain(listener.Events, e => e.Level is EventLevel.Error or EventLevel.Critical);
    }

    private sealed class SdkEventListener : EventListener
    {
        private readonly List<EventWrittenEventArgs> _events = [];

        public IReadOnlyList<EventWrittenEventArgs> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Panopticon-Sdk")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            lock (_events)
            {
                _events.Add(eventData);
            }
        }
    }
}
