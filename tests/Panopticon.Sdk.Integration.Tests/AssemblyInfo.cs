// Activity sources and EF Core's DiagnosticListener are process-wide: two hosts running at once would each
// see the other's activities. The tests run one at a time, each with its own host, disposed at its end.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
