namespace GanCore.Tests.Testing;

/// <summary>
/// The thread counts the threading tests compare with one thread: 2 always, and 3 and one per CPU of this process where
/// the process has them. The engine never takes more workers than <see cref="Environment.ProcessorCount"/>, so on a
/// two-CPU host this is just 2, and on a one-CPU host the request for two runs on one thread. CI's leg-8-cpus runs the
/// threading tests again with <c>DOTNET_PROCESSOR_COUNT=8</c>, where 2, 3 and 8 workers split the products (shares that
/// do not divide evenly, and more workers than a product has blocks), as on the many-core hosts a user may have and
/// this project's 2-core machines are not.
/// </summary>
internal static class ThreadCounts
{
    public static IReadOnlyList<int> Split { get; } =
        new[] { 2, 3, Environment.ProcessorCount }.Where(c => c == 2 || (c > 2 && c <= Environment.ProcessorCount)).Distinct().ToArray();
}
