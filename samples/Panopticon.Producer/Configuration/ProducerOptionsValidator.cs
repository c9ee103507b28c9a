using Microsoft.Extensions.Options;

namespace Panopticon.Producer.Configuration;

/// <summary>Fails startup with a message naming the option; never echoes a key's value.</summary>
internal sealed class ProducerOptionsValidator : IValidateOptions<ProducerOptions>
{
    public ValidateOptionsResult Validate(string? name, ProducerOptions options)
    {
        var failures = new List<string>();
        if (options.ApiKeys.Length == 0)
        {
            failures.Add("Producer:ApiKeys must contain at least one key (e.g. --Producer:ApiKeys:0=<key>).");
        }
        else if (options.ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("Producer:ApiKeys must not contain empty keys.");
        }

        if (options.MaxBodyBytes <= 0 || options.MaxBodyBytes > int.MaxValue / 2)
        {
            failures.Add("Producer:MaxBodyBytes must be between 1 and 1073741823.");
        }

        if (options.RateLimit.PermitLimit <= 0)
        {
            failures.Add("Producer:RateLimit:PermitLimit must be positive.");
        }

        if (options.RateLimit.WindowSeconds <= 0)
        {
            failures.Add("Producer:RateLimit:WindowSeconds must be positive.");
        }

        if (string.IsNullOrWhiteSpace(options.Storage.Path))
        {
            failures.Add("Producer:Storage:Path must be set.");
        }

        if (options.Storage.Retention <= TimeSpan.Zero)
        {
            failures.Add("Producer:Storage:Retention must be positive.");
        }

        if (options.Storage.SweepInterval <= TimeSpan.Zero)
        {
            failures.Add("Producer:Storage:SweepInterval must be positive.");
        }

        if (options.FaultInjection.FailEveryNth < 0)
        {
            failures.Add("Producer:FaultInjection:FailEveryNth must be zero (off) or positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
