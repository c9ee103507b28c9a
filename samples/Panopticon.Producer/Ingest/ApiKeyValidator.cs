using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Panopticon.Producer.Configuration;

namespace Panopticon.Producer.Ingest;

/// <summary>Matches <c>X-API-Key</c> against the configured keys in constant time. Keys are never logged.</summary>
internal sealed class ApiKeyValidator(IOptionsMonitor<ProducerOptions> options)
{
    public const string HeaderName = "X-API-Key";

    /// <summary>The index of the matching configured key, or -1.</summary>
    public int Match(HttpRequest request)
    {
        var values = request.Headers[HeaderName];
        if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return -1;
        }

        var presented = Hash(values[0]!);
        var keys = options.CurrentValue.ApiKeys;
        var match = -1;

        // Compare against every key, without an early exit, so timing does not reveal which key (if any) matched.
        for (var i = 0; i < keys.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Hash(keys[i])) && match < 0)
            {
                match = i;
            }
        }

        return match;
    }

    // Hashing first gives both sides the same length, so FixedTimeEquals does not leak a key's length either.
    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
