using System.Diagnostics;
using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using Xunit.Abstractions;

namespace Panopticon.Packaging.Tests;

/// <summary>
/// Packs the family into a local folder feed, then builds and runs a fresh app that references the packages by id
/// and version only: catches missing files, wrong dependencies and broken metadata that project references hide.
/// </summary>
public sealed class ConsumerSmokeTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Packages = ["Panopticon.Sdk", "Panopticon.Sdk.AspNetCore", "Panopticon.Sdk.Http", "Panopticon.Sdk.Logging", "Panopticon.Sdk.EntityFrameworkCore", "Panopticon.Sdk.Serilog", "Panopticon.Sdk.AI"];
    private readonly string _work = Directory.CreateTempSubdirectory("panopticon-consumer-").FullName;

    [Fact]
    public async Task A_fresh_app_installs_the_packages_from_a_folder_feed_and_its_telemetry_arrives()
    {
        using var producer = WireMockServer.Start(new WireMockServerSettings());
        producer.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(202).WithBody("{\"success\":true}"));
        var version = $"0.1.0-smoke.{DateTime.UtcNow:yyyyMMddHHmmssfff}"; // unique: never a stale copy from the package cache
        var feed = Path.Combine(_work, "feed");
        var repo = RepositoryRoot();

        await RunAsync("dotnet", ["pack", Path.Combine(repo, "Panopticon.Sdk.Packages.slnf"), "-c", "Release", "-o", feed, "--artifacts-path", Path.Combine(_work, "artifacts"), $"-p:Version={version}"], repo);

        foreach (var id in Packages)
        {
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.nupkg")), $"{id}.nupkg was not produced");
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.snupkg")), $"{id}.snupkg was not produced");
        }

        Assert.Equal(Packages.Length * 2, Directory.GetFiles(feed).Length); // nothing else (tests, samples) is packable

        var app = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(app);
        var template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), File.ReadAllText(Path.Combine(template, "Consumer.csproj.template")).Replace("$(PanopticonVersion)", version, StringComparison.Ordinal));
        File.Copy(Path.Combine(template, "Program.cs.template"), Path.Combine(app, "Program.cs"));
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="panopticon-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        await RunAsync("dotnet", ["build", "-c", "Release"], app); // both net8.0 and net10.0 restore and build without warnings
        var run = await RunAsync("dotnet", ["run", "-c", "Release", "-f", "net10.0", "--no-build", "--", producer.Url!], app);

        var traceId = run.Split('\n').Single(l => l.StartsWith("trace_id=", StringComparison.Ordinal))["trace_id=".Length..].Trim();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        var records = producer.LogEntries
            .SelectMany(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.EnumerateArray().Select(r => (Path: e.RequestMessage.Path, Record: r.Clone())))
            .ToList();
        Assert.Contains(records, r => r.Path == "/sdk/logs" && r.Record.GetProperty("message").GetString() == "Hello from the package consumer" && r.Record.GetProperty("trace_id").GetString() == traceId);
        Assert.Contains(records, r => r.Path == "/sdk/logs" && r.Record.GetProperty("message").GetString() == "Hello from Serilog" && r.Record.GetProperty("trace_id").GetString() == traceId);
        Assert.Contains(records, r => r.Path == "/sdk/traces" && r.Record.GetProperty("kind").GetString() == "SERVER" && r.Record.GetProperty("trace_id").GetString() == traceId && r.Record.GetProperty("name").GetString() == "GET /hello");
        Assert.All(producer.LogEntries, e => Assert.Equal("consumer-smoke-key", e.RequestMessage.Headers!["X-API-Key"].Single()));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing the run for.
        }
    }

    private async Task<string> RunAsync(string file, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish in time");
        }

        var text = await stdout + await stderr;
        output.WriteLine($"$ {file} {string.Join(' ', arguments)}  (exit {process.ExitCode})");
        output.WriteLine(text.Length > 4000 ? text[^4000..] : text);
        Assert.True(process.ExitCode == 0, $"'{file} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}:\n{(text.Length > 3000 ? text[^3000..] : text)}");
        return text;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Panopticon.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Panopticon.Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}
