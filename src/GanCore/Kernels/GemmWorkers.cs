using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace GanCore.Kernels;

/// <summary>The blocks of one parallel product: <see cref="Run"/> computes block <c>b</c> of C.</summary>
internal abstract class GemmShares
{
    /// <summary>Computes block <paramref name="block"/>, on whichever thread claimed it.</summary>
    public abstract void Run(int block);
}

/// <summary>
/// The threads that run a parallel product's blocks besides the calling thread (docs/kernels.md, Threads). One product
/// holds them at a time. Its blocks are dealt out in contiguous runs, one run per thread, the same way product after
/// product: the calling thread's run comes first, then worker 1's, and so on, so that a step's products put the same
/// rows or columns of C on the same core every time, and what one product leaves in a core's cache the next finds there.
/// Each thread computes its own run front to back; a thread done with its run then takes blocks from the back of the
/// others' runs while their owners have not reached them, so a worker that is late (asleep, its core lent to another
/// process) or slow (a virtual CPU the host runs slower) never holds up the product for long. A worker that has run out
/// of blocks spins for <see cref="SpinTicks"/> before it blocks, so the next product of a training step finds it awake (a
/// post is a store it sees at once, where waking a blocked thread costs 5–20 µs); nothing is allocated per product,
/// where <c>Parallel.For</c> allocated its closure, options and tasks on every call. Workers are created as products
/// first need them, one per processor beyond the first.
/// </summary>
/// <remarks>Until the forty-fourth session every thread claimed the next block from one counter, so which core got which
/// block changed from product to product, and each change moved the block's output and inputs between the cores'
/// caches; and a product had one block per thread, so a slow core held it up by all its block's time
/// (benchmarks/RESULTS.md, forty-fourth session).</remarks>
internal static class GemmWorkers
{
    /// <summary>How long a worker spins after its last block before it blocks: 100 µs, a few times what waking a
    /// blocked thread costs, so that a step's products a few µs apart keep it awake and an idle process does not.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000;

    /// <summary>The most blocks a product may have per thread.</summary>
    public const int BlocksPerThread = 4;

    private static readonly Worker?[] s_workers = new Worker?[Math.Max(Environment.ProcessorCount - 1, 0)];

    /// <summary>Block b's claim: 0 while the product that has it waits for a thread to take it, 1 otherwise. Closed
    /// between products, so a late worker's claim fails.</summary>
    private static readonly int[] s_claims = ClosedClaims((s_workers.Length + 1) * BlocksPerThread);
    private static int s_busy;
    private static GemmShares? s_shares;

    /// <summary>The running product's threads (high 16 bits) and blocks (low 16 bits), in one field so that a worker never
    /// reads one product's threads with another's blocks.</summary>
    private static int s_shape;
    private static int s_pending;
    private static Exception? s_error;
    private static long s_products;

    /// <summary>Tests only: for each worker w of a product (index 0, the caller, unused), the bytes it had allocated when it
    /// last finished a block (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), stored before the block counts done, so
    /// a caller that has seen its product end sees every worker's count (<see cref="AllocatedByWorkers"/>).</summary>
    private static readonly long[] s_allocated = new long[s_workers.Length + 1];

    /// <summary>Tests only: called with the thread's index (0 the caller) after each block a thread runs, before its next
    /// claim, to widen the moment in which a worker still going through an ended product meets the next one.</summary>
    private static Action<int>? s_betweenClaims;

    /// <summary>Tests only: sets <see cref="s_betweenClaims"/> (null to remove it).</summary>
    internal static void SetBetweenClaims(Action<int>? hook) => Volatile.Write(ref s_betweenClaims, hook);

    /// <summary>The most threads a product may use: the calling thread and one worker per other processor.</summary>
    public static int MaxShares => s_workers.Length + 1;

    /// <summary>How many products have run through <see cref="RunAndRelease"/> in this process (tests).</summary>
    public static long Products => Volatile.Read(ref s_products);

    /// <summary>The bytes the workers had allocated, all told, when each last finished a block of a product (tests: with
    /// the calling thread's own <see cref="GC.GetAllocatedBytesForCurrentThread"/>, what the product's threads allocated,
    /// and nothing of the process's other threads).</summary>
    public static long AllocatedByWorkers
    {
        get
        {
            long sum = 0;
            for (int w = 1; w < s_allocated.Length; w++)
            {
                sum += Volatile.Read(ref s_allocated[w]);
            }

            return sum;
        }
    }

    /// <summary>Takes the workers for one product, or returns false when another product (on another thread) holds
    /// them; that product then runs on its calling thread alone, with the same bits.</summary>
    public static bool TryAcquire() => Interlocked.CompareExchange(ref s_busy, 1, 0) == 0;

    /// <summary>Every block's claim closed (1). A plain loop: a training loop's tuner reads <see cref="Products"/> in
    /// the seed GAN's first steps, and LINQ's generic helpers would be compiled there.</summary>
    private static int[] ClosedClaims(int blocks)
    {
        var claims = new int[blocks];
        for (int b = 0; b < blocks; b++)
        {
            claims[b] = 1;
        }

        return claims;
    }

    /// <summary>The first block of thread <paramref name="thread"/>'s run (0 the caller's, w worker w's) when
    /// <paramref name="blocks"/> blocks are dealt to <paramref name="threads"/> threads; its run ends where the next
    /// thread's begins.</summary>
    public static int RunStart(int thread, int threads, int blocks) => (int)((long)thread * blocks / threads);

    /// <summary>
    /// Runs <paramref name="shares"/>' blocks 0 … <paramref name="blocks"/> − 1 on <paramref name="threads"/> threads and
    /// releases the workers, which <see cref="TryAcquire"/> must have taken: each thread its own run of blocks
    /// (<see cref="RunStart"/>) front to back, then blocks from the back of the others' runs that their owners have not
    /// reached. A block's result does not depend on which thread runs it. An exception from any block is rethrown here
    /// once every claimed block has ended.
    /// </summary>
    public static void RunAndRelease(GemmShares shares, int threads, int blocks)
    {
        Debug.Assert(Volatile.Read(ref s_busy) == 1, "the workers are not held");
        Debug.Assert(threads >= 1 && threads <= MaxShares, "more threads than there are");
        Debug.Assert(blocks >= threads && blocks <= threads * BlocksPerThread, "fewer blocks than threads, or more than BlocksPerThread each");
        Exception? error;
        s_shares = shares;
        s_shape = (threads << 16) | blocks;
        s_error = null;
        s_pending = blocks;
        s_products++;
        try
        {
            // Opening a block publishes the fields above to the thread whose claim takes it (a claim is a full fence).
            for (int b = 0; b < blocks; b++)
            {
                Volatile.Write(ref s_claims[b], 0);
            }

            for (int w = 1; w < threads; w++)
            {
                try
                {
                    (s_workers[w - 1] ??= new Worker(w)).Post();
                }
                catch (OutOfMemoryException)
                {
                    // No thread could be started (a process thread limit, memory): the caller takes the blocks of the
                    // workers not posted, with the same bits; the next product tries again.
                    break;
                }
            }

            RunBlocks(0, threads, blocks);

            // Any block still open runs here. Threads that all go by this product's runs leave none: each run is taken
            // from its front by its owner and from its back by the others until they meet. But a worker held up between
            // two claims of the product before (preempted, or its virtual CPU descheduled) goes on by that product's runs
            // and claims blocks of this one out of order, in the middle of a run, where the caller's walk stops short.
            for (int b = 0; b < blocks; b++)
            {
                if (IsOpen(b) && TryClaim(b))
                {
                    Run(b, 0);
                }
            }
        }
        finally
        {
            // A block still open here (only if the caller stopped early, by an exception of its own) is no longer pending;
            // then wait for the claimed ones.
            for (int b = 0; b < blocks; b++)
            {
                if (IsOpen(b) && TryClaim(b))
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

    /// <summary>Thread <paramref name="thread"/>'s part of a product: its own run front to back until a block is taken
    /// (from there on a thief has the rest of the run), then the other runs from the back, each until its owner's front.</summary>
    private static void RunBlocks(int thread, int threads, int blocks)
    {
        // (A worker beyond the product's threads has a stale request: no run of its own, and every block it tries is taken.)
        if (threads < 1)
        {
            return;
        }

        int end = thread < threads ? RunStart(thread + 1, threads, blocks) : 0;
        for (int b = RunStart(thread, threads, blocks); b < end && TryClaim(b); b++)
        {
            Run(b, thread);
            s_betweenClaims?.Invoke(thread);
        }

        for (int other = 1; other < threads; other++)
        {
            int owner = (thread + other) % threads; // thread < threads here unless the request is stale
            int start = RunStart(owner, threads, blocks);
            for (int b = RunStart(owner + 1, threads, blocks) - 1; b >= start && TryClaim(b); b--)
            {
                Run(b, thread);
                s_betweenClaims?.Invoke(thread);
            }
        }
    }

    /// <summary>Takes block <paramref name="block"/> of the running product if no thread has: one atomic exchange, so
    /// exactly one thread runs it, and a claim that fails cannot turn into a claim in a later product.</summary>
    private static bool TryClaim(int block) => Interlocked.Exchange(ref s_claims[block], 1) == 0;

    /// <summary>Whether block <paramref name="block"/> looks unclaimed: a plain read, cheaper than the exchange of a claim,
    /// for the caller's last looks over blocks that are nearly always taken.</summary>
    private static bool IsOpen(int block) => Volatile.Read(ref s_claims[block]) == 0;

    /// <summary>Runs block <paramref name="block"/>, which thread <paramref name="thread"/> (this one) has claimed, keeping
    /// its exception for the caller, and counts it done.</summary>
    private static void Run(int block, int thread)
    {
        try
        {
            s_shares!.Run(block);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_error, e, null);
        }

        if (thread != 0)
        {
            // (The caller's count is the test's own GC.GetAllocatedBytesForCurrentThread.)
            Volatile.Write(ref s_allocated[thread], GC.GetAllocatedBytesForCurrentThread());
        }

        Interlocked.Decrement(ref s_pending);
    }

    /// <summary>Worker w, the owner of the w-th run of each product's blocks. <see cref="Post"/> counts a request; for
    /// each, the thread runs its blocks and helps with the others' as <see cref="RunBlocks"/> does.</summary>
    private sealed class Worker
    {
        private readonly object _gate = new();
        private readonly int _thread;
        private int _requests;
        private int _sleeping;

        public Worker(int thread)
        {
            _thread = thread;

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
                // A request answered late may find this product over (its blocks all taken) or the next one's shape:
                // either way its claims take only open blocks, each once, and the caller runs whatever they skip.
                int shape = Volatile.Read(ref s_shape);
                RunBlocks(_thread, shape >> 16, shape & 0xFFFF);
            }
        }
    }
}
