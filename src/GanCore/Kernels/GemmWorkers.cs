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
/// holds them at a time: the caller posts a request to each worker it needs, and the caller and those workers claim
/// shares until none is left. A worker that has run out of shares spins for <see cref="SpinTicks"/> before it blocks,
/// so the next product of a training step finds it awake (a post is a store it sees at once, where waking a blocked
/// thread costs 5–20 µs); nothing is allocated per product, where <c>Parallel.For</c> allocated its closure, options
/// and tasks on every call. Workers are created as products first need them, one per processor beyond the first.
/// </summary>
internal static class GemmWorkers
{
    /// <summary>How long a worker spins after its last share before it blocks: 100 µs, a few times what waking a
    /// blocked thread costs, so that a step's products a few µs apart keep it awake and an idle process does not.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000;

    /// <summary>The shares left to claim between products: far below zero, so a late worker's claim fails however many
    /// late claims there are.</summary>
    private const int Closed = int.MinValue / 2;

    private static readonly Worker?[] s_workers = new Worker?[Math.Max(Environment.ProcessorCount - 1, 0)];
    private static int s_busy;
    private static GemmShares? s_shares;
    private static int s_left = Closed;
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
    /// <see cref="TryAcquire"/> must have taken. The calling thread and the workers it wakes claim shares in turn until
    /// none is left, so a worker that wakes late (asleep, or its core lent to another process) leaves its share to the
    /// others instead of holding up the product. A share's result does not depend on which thread runs it. An
    /// exception from any share is rethrown here once every claimed share has ended.
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
            // Opening the claims publishes the fields above to any thread whose claim succeeds (a claim is a full fence).
            Volatile.Write(ref s_left, count);
            for (int w = 1; w < count; w++)
            {
                try
                {
                    (s_workers[w - 1] ??= new Worker()).Post();
                }
                catch (OutOfMemoryException)
                {
                    // No thread could be started (a process thread limit, memory): the threads already posted and the
                    // caller claim every share, with the same bits; the next product tries again.
                    break;
                }
            }

            RunShares();
        }
        finally
        {
            // Shares nobody claimed (only if posting failed) are no longer pending; then wait for the claimed ones.
            int unclaimed = Math.Max(Interlocked.Exchange(ref s_left, Closed), 0);
            Interlocked.Add(ref s_pending, -unclaimed);
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

    /// <summary>Claims and runs shares until none is left. A claim is one atomic decrement of the shares left, so a
    /// claim that fails (below zero) cannot turn into a claim in the next product, whatever happens between.</summary>
    private static void RunShares()
    {
        int share;
        while ((share = Interlocked.Decrement(ref s_left)) >= 0)
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
    }

    /// <summary>One worker thread. <see cref="Post"/> counts a request; for each, the thread claims shares until none is left.</summary>
    private sealed class Worker
    {
        private readonly object _gate = new();
        private int _requests;
        private int _sleeping;

        public Worker()
        {
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
                RunShares();
            }
        }
    }
}
