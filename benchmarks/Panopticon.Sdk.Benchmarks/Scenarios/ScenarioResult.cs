namespace Panopticon.Sdk.Benchmarks.Scenarios;

/// <summary>One contender's line in a custom scenario: its main value, a second measure, and the baseline's value.</summary>
internal sealed record ScenarioResult(string Scenario, string Contender, double Value, string Unit, double Secondary, string SecondaryUnit, double? BaselineValue)
{
    public double? Ratio => BaselineValue is { } baseline && baseline > 0 ? Value / baseline : null;
}
