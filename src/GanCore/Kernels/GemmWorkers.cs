using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace GanCore.Kernels;

/// <summary>The shares of one parallel product: <see cref="Run"/> computes share <c>w</c> of C.</summary>
internal abstract class GemmShares
{
    /// <summary>Computes share <paramref name="share"/>, on whichever thread claimed it.</summary>
    public abstract void Run(int share);
}

/// <summary>
/// The threads that run a parallel product's shares besides the calling thread (docs/kernels.md, Threads). One product
/// holds them at a time. Each share has a home: share 0 is the calling thread's, share w (w ≥ 1) worker w's, so that a
/// step's products put the same rows or columns on the same core product after product, and what one product leaves in
/// a core's cache the next finds there. The caller opens the workers' shares, posts a request to each worker it needs
/// and runs share 0; then it takes over any share whose worker has not claimed it yet (asleep, or its core lent to
/// another process), so a late worker never holds up the product. A worker that has run out of shares spins for
/// <see cref="SpinTicks"/> before it blocks, so the next product of a training step finds it awake (a post is a store
/// it sees at once, where waking a blocked thread costs 5–20 µs); nothing is allocated per product, where
/// <c>Parallel.For</c> allocated its closure, options and tasks on every call. Workers are created as products first
/// need them, one per processor beyond the first.
/// </summary>
/// <remarks>Until the forty-fourth session every thread claimed the next share from one counter, so which core got which
/// share changed from product to product (whichever thread reached the counter first), and each change moved the
/// share's output and inputs between the cores' caches: on the two-core Zen 5 guest, A·B 512×5×256 took 1.45× its
/// one-thread time on two threads, and the GAN step at h = 256, batch 512 1.7× (benchmarks/RESULTS.md).</remarks>
internal static class GemmWorkers
{
    /// <summary>How long a worker spins after its last share before it blocks: 100 µs, a few times what waking a
    /// blocked thread costs, so that a step's products a few µs apart keep it awake and an idle process does not.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000;

    private static readonly Worker?[] s_workers = new Worker?[Math.Max(Environment.ProcessorCount - 1, 0)];

    /// <summary>Share w's claim (w ≥ 1; share 0 is the caller's and has none): 0 while the product that has it waits for a
    /// thread to take it, 1 otherwise. Closed between products, so a late worker's claim fails.</summary>
    private static readonly int[] s_claims = Enumerable.Repeat(1, Math.Max(Environment.ProcessorCount, 1)).ToArray();
    private static int s_busy;
    private static GemmShares? s_shares;
    private static int s_pending;
    private static Exception? s_error;
    private static long s_products;

    /// <summary>The most shares a product may have: the calling thread and one worker per other processor.</summary>
    public static int MaxShares => s_workers.Length + 1;

    /// <summary>How many products have run through <see cref="RunAndRelease"/> in this process (tests).</summary>
    public static long Products => Volatile.Read(ref s_products);

    /// <summary>Takes the workers for one product, or returns false when another product (on another thread) holds
    /// them; that product then runs on its calling thread alone, with the same bits.</summary>
    public static bool TryAcquire() => Interlocked.CompareExchange(ref s_busy, 1, 0) == 0;

    /// <summary>
    /// Runs <paramref name="shares"/>' shares 0 … <paramref name="count"/> − 1 and releases the workers, which
    /// <see cref="TryAcquire"/> must have taken: share 0 on the calling thread, share w on worker w unless the caller,
    /// done with its own, finds it still unclaimed and runs it itself. A share's result does not depend on which thread
    /// runs it. An exception from any share is rethrown here once every claimed share has ended.
    /// </summary>
    public static void RunAndRelease(GemmShares shares, int count)
    {
        Debug.Assert(Volatile.Read(ref s_busy) == 1, "the workers are not held");
        Debug.Assert(count >= 1 && count <= MaxShares, "more shares than threads");
        Exception? error;
        s_shares = shares;
        s_error = null;
        s_pending = count;
        s_products++;
        try
        {
            // Opening a share publishes the fields above to the thread whose claim takes it (a claim is a full fence).
            for (int w = 1; w < count; w++)
            {
                Volatile.Write(ref s_claims[w], 0);
            }

            for (int w = 1; w < count; w++)
            {
                try
                {
                    (s_workers[w - 1] ??= new Worker(w)).Post();
                }
                catch (OutOfMemoryException)
                {
                    // No thread could be started (a process thread limit, memory): the caller runs the shares of the
                    // workers not posted, with the same bits; the next product tries again.
                    break;
                }
            }

            Run(0);
            for (int w = 1; w < count; w++)
            {
                if (TryClaim(w))
                {
                    Run(w); // its worker has not started it in the time the caller took for a whole share
                }
            }
        }
        finally
        {
            // A share still open here (only if the caller stopped early) is no longer pending; then wait for the claimed ones.
            for (int w = 1; w < count; w++)
            {
                if (TryClaim(w))
                {
                    Interlocked.Decrement(ref s_pending);
                }
            }

            SpinWait wait = default;
            while (Volatile.Read(ref s_pending) != 0)
            {
                wait.SpinOnce(sleep1Threshold: -1);
            }

            s_shares = null;
            error = s_error;
            s_error = null;
            Volatile.Write(ref s_busy, 0);
        }

        if (error is not null)
        {
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    /// <summary>Takes share <paramref name="share"/> (≥ 1) of the running product if no thread has: one atomic exchange, so
    /// exactly one thread runs it, and a claim that fails cannot turn into a claim in a later product.</summary>
    private static bool TryClaim(int share) => Interlocked.Exchange(ref s_claims[share], 1) == 0;

    /// <summary>Runs share <paramref name="share"/>, which this thread owns (the caller's share 0, or one it claimed),
    /// keeping its exception for the caller, and counts it done.</summary>
    private static void Run(int share)
    {
        try
        {
            s_shares!.Run(share);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_error, e, null);
        }

        Interlocked.Decrement(ref s_pending);
    }

    /// <summary>Worker w, the home of share w. <see cref="Post"/> counts a request; for each, the thread claims its share
    /// if the caller has not taken it.</summary>
    private sealed class Worker
    {
        private readonly object _gate = new();
        private readonly int _share;
        private int _requests;
        private int _sleeping;

        public Worker(int share)
        {
            _share = share;

            // UnsafeStart: the worker must not keep the first caller's execution context alive for the process's life.
            new Thread(Loop) { IsBackground = true, Name = "GanCore GEMM worker" }.UnsafeStart();
        }

        public void Post()
        {
            // The increment is a full fence, as is the worker's store to _sleeping before it reads _requests a last
            // time: either the worker sees this request, or this thread sees it asleep and wakes it. The worker holds
            // the gate from that store until it waits, so the pulse cannot fall between its look and its wait.
            Interlocked.Increment(ref _requests);
            if (Volatile.Read(ref _sleeping) != 0)
            {
                lock (_gate)
                {
                    Monitor.Pulse(_gate);
                }
            }
        }

        private void Loop()
        {
            int done = 0;
            while (true)
            {
                long since = Stopwatch.GetTimestamp();
                while (Volatile.Read(ref _requests) == done)
                {
                    if (Stopwatch.GetTimestamp() - since < SpinTicks)
                    {
                        Thread.SpinWait(20);
                        continue;
                    }

                    lock (_gate)
                    {
                        Interlocked.Exchange(ref _sleeping, 1);
                        while (Volatile.Read(ref _requests) == done)
                        {
                            Monitor.Wait(_gate);
                        }

                        Volatile.Write(ref _sleeping, 0);
                    }
                }

                done = Volatile.Read(ref _requests);
                if (TryClaim(_share))
                {
                    Run(_share);
                }
            }
        }
    }
}
