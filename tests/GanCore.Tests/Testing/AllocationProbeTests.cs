namespace GanCore.Tests.Testing;

/// <summary>The allocation probe sees an allocation made on every call and ignores one made once; and the one-time
/// allocation it exists for, a thread's first read of a type's thread statics, is real.</summary>
public class AllocationProbeTests
{
    private static object? s_sink;

    [Fact]
    public void An_allocation_on_every_call_shows_in_the_quietest_window()
    {
        AllocationProbe.QuietestWindow(() => s_sink = new byte[8]).Should().BeGreaterThan(0);
    }

    [Fact]
    public void An_allocation_every_few_calls_shows_in_the_quietest_window()
    {
        int calls = 0;
        AllocationProbe.QuietestWindow(() =>
        {
            if (++calls % 20 == 0)
            {
                s_sink = new byte[8];
            }
        }).Should().BeGreaterThan(0, "every window of 20 calls holds one allocation");
    }

    [Fact]
    public void An_allocation_made_once_after_the_warm_up_is_not_counted()
    {
        int calls = 0;
        AllocationProbe.QuietestWindow(() =>
        {
            if (++calls == 35)
            {
                s_sink = new byte[8];
            }
        }).Should().Be(0);
        calls.Should().BeGreaterThanOrEqualTo(30 + 20 + 20, "the first window allocated, so a second one ran");
    }

    [Fact]
    public void A_thread_static_first_read_allocates_once()
    {
        var bytes = new long[2];
        var thread = new Thread(() =>
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            _ = ThreadStatics.Read();
            bytes[0] = GC.GetAllocatedBytesForCurrentThread() - start;
            start = GC.GetAllocatedBytesForCurrentThread();
            _ = ThreadStatics.Read();
            bytes[1] = GC.GetAllocatedBytesForCurrentThread() - start;
        });
        ThreadStatics.Read(); // compiled on this thread, so the other thread measures the read and not the JIT
        thread.Start();
        thread.Join();
        bytes[0].Should().BeGreaterThan(0, "the runtime allocates a thread's storage for a type's thread statics on its first read");
        bytes[1].Should().Be(0);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_parameter_named()
    {
        ((Action)(() => AllocationProbe.QuietestWindow((Action)null!))).Should().Throw<ArgumentNullException>().WithParameterName("operation");
        ((Action)(() => AllocationProbe.QuietestWindow(() => { }, calls: 0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("calls");
        ((Action)(() => AllocationProbe.QuietestWindow(() => { }, windows: 0))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("windows");
        ((Action)(() => AllocationProbe.QuietestWindow(() => { }, warmUp: -1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("warmUp");
    }

    /// <summary>A type with a thread static of its own, so its first read on a new thread is sure to be the first.</summary>
    private static class ThreadStatics
    {
        [ThreadStatic]
        private static float[]? t_buffer;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static float[] Read() => t_buffer ??= [];
    }
}
