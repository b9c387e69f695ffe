using GanCore.Adversarial;
using GanCore.Kernels;

namespace GanCore.Tests.Testing;

/// <summary>
/// Measures what a warmed-up operation allocates on the calling thread: the quietest of up to ten windows.
/// </summary>
/// <remarks>
/// <para>Why not one window: some allocations happen once per thread and never again, and in a parallel test run they can
/// land inside any test's window. The one that failed CI: the first time any test in the process calls
/// <c>KernelDispatch.Cap</c>, <c>GemmEngine.ForcePath</c> or <c>GemmEngine.ForceBlocking</c>, a process-wide flag flips,
/// every thread's next GEMM reads its thread-static override for the first time, and the runtime allocates that thread's
/// storage for the type's thread statics (56 and 32 bytes on .NET 10 when this was written;
/// <c>AllocationProbeTests.A_thread_static_first_read_allocates_once</c> shows the mechanism). Until a flag flips,
/// production code never reads those thread statics.</para>
/// <para>Why this cannot hide a leak: an operation that allocates on every call allocates in every window, so the quietest
/// window is not 0. An allocation every n calls is seen when n is at most the window's length.</para>
/// </remarks>
internal static class AllocationProbe
{
    /// <summary>Runs <paramref name="operation"/> <paramref name="warmUp"/> times (buffers reach their size, the JIT
    /// settles), then returns the fewest bytes this thread allocated in any of up to <paramref name="windows"/> windows of
    /// <paramref name="calls"/> calls, stopping at the first window that allocated nothing.</summary>
    public static long QuietestWindow(Action operation, int warmUp = 30, int calls = 20, int windows = 10) =>
        QuietestWindow(operation, GC.GetAllocatedBytesForCurrentThread, warmUp, calls, windows);

    /// <summary>As <see cref="QuietestWindow(Action, int, int, int)"/>, counting what the calling thread and the GEMM
    /// workers allocated (<see cref="GemmWorkers.AllocatedByWorkers"/>): for products split across threads. The rest of
    /// the process (the test host's threads, the thread pool's) is left out: counted process-wide, a scalar run's windows
    /// of a tenth of a second or more caught 168 bytes of another thread's in every one of 200 (sixty-fourth session).</summary>
    public static long QuietestWindowOnGemmThreads(Action operation, int warmUp = 30, int calls = 20, int windows = 10) =>
        QuietestWindow(operation, () => GC.GetAllocatedBytesForCurrentThread() + GemmWorkers.AllocatedByWorkers, warmUp, calls, windows);

    private static long QuietestWindow(Action operation, Func<long> allocated, int warmUp, int calls, int windows)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfNegative(warmUp);
        ArgumentOutOfRangeException.ThrowIfLessThan(calls, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        for (int i = 0; i < warmUp; i++)
        {
            operation();
        }

        long fewest = long.MaxValue;
        for (int window = 0; window < windows && fewest != 0; window++)
        {
            long start = allocated();
            for (int i = 0; i < calls; i++)
            {
                operation();
            }

            fewest = Math.Min(fewest, allocated() - start);
        }

        return fewest;
    }

    /// <summary><see cref="QuietestWindow(Action, int, int, int)"/> of <see cref="Gan.Step"/>: 30 warm-up steps, windows of
    /// 20 steps.</summary>
    public static long QuietestWindow(Gan gan)
    {
        ArgumentNullException.ThrowIfNull(gan);
        return QuietestWindow(() => gan.Step());
    }
}
