using System.Net.Http.Json;
using System.Security.Cryptography;
using Panopticon.Quickstart;

namespace Panopticon.EndToEnd.Tests;

/// <summary>The real reference Producer as its own process (<c>dotnet Panopticon.Producer.dll</c>) on a free loopback port.</summary>
internal sealed class ProducerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly DirectoryInfo _data;

    private ProducerProcess(ChildProcess process, Uri url, string apiKey, DirectoryInfo data)
    {
        _process = process;
        _data = data;
        Url = url;
        ApiKey = apiKey;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Url { get; }

    public string ApiKey { get; }

    /// <summary>For the query API (no key needed from loopback).</summary>
    public HttpClient Http { get; }

    public static async Task<ProducerProcess> StartAsync(params string[] arguments)
    {
        var data = Directory.CreateTempSubdirectory("panopticon-e2e-");
        var apiKey = "e2e_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        try
        {
            var (process, url) = await ChildProcess.StartAsync(
                "producer",
                ChildApps.ProducerDll,
                [$"--Producer:Storage:Path={Path.Combine(data.FullName, "producer.db")}", .. arguments],
                new Dictionary<string, string> { ["Producer__ApiKeys__0"] = apiKey },
                echo: false,
                TimeSpan.FromSeconds(60),
                CancellationToken.None);
            return new ProducerProcess(process, url, apiKey, data);
        }
        catch
        {
            data.Delete(recursive: true);
            throw;
        }
    }

    public async Task<T> GetAsync<T>(string path) =>
        (await Http.GetFromJsonAsync<T>(path))!;

    /// <summary>Ingest-side admin route (needs the key): the fault injector's state.</summary>
    public async Task<FaultInjectionState> GetFaultInjectionAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/fault-injection");
        request.Headers.Add("X-API-Key", ApiKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<FaultInjectionState>())!;
    }

    public string OutputTail() => _process.Tail();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        try
        {
            _data.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed record FaultInjectionState(int FailEveryNth, long FailedRequests);
