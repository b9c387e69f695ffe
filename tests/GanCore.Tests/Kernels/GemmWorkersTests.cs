using GanCore.Kernels;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>The worker threads behind a parallel product (<see cref="GemmWorkers"/>). They are process-wide, so these
/// tests run alone.</summary>
[Collection(GemmGlobalStateGroup.Name)]
public class GemmWorkersTests
{
    /// <summary>Shares that count how often each runs and which threads run them; share <see cref="Throwing"/> throws.</summary>
    private sealed class CountingShares(int count, int spin) : GemmShares
    {
        /// <summary>How much longer a block spins when a worker runs it (a slow core).</summary>
        public int SlowOnWorkers { get; set; }


        public int[] Runs { get; } = new int[count];

        /// <summary>Shares that ran to their end: a product that returned before its shares ended shows here.</summary>
        public int[] Ended { get; } = new int[count];

        public int Throwing { get; set; } = -1;

        public int OnOtherThreads;

        public int Caller { get; set; }

        /// <summary>The managed thread id that ran each share last.</summary>
        public int[] LastThread { get; } = new int[count];

        public override void Run(int share) // a block
        {
            Interlocked.Increment(ref Runs[share]);
            LastThread[share] = Environment.CurrentManagedThreadId;
            if (Environment.CurrentManagedThreadId != Caller)
            {
                Interlocked.Increment(ref OnOtherThreads);
            }

            Thread.SpinWait(spin + (Environment.CurrentManagedThreadId != Caller ? SlowOnWorkers : 0));
            if (share == Throwing)
            {
                Interlocked.Increment(ref Ended[share]);
                throw new InvalidOperationException($"share {share} failed");
            }

            Interlocked.Increment(ref Ended[share]);
        }
    }

    /// <summary>Shares that allocate an array of <see cref="Bytes"/> in every block a worker runs (not the caller).</summary>
    private sealed class AllocatingShares(int caller) : GemmShares
    {
        public const int Bytes = 1_000;

        public int OnWorkers;

        public object? Last;

        public override void Run(int share)
        {
            if (Environment.CurrentManagedThreadId != caller)
            {
                Last = new byte[Bytes];
                Interlocked.Increment(ref OnWorkers);
            }

            Thread.SpinWait(2_000);
        }
    }

    private static void Acquire()
    {
        // The workers are free whenever no product is running (released only once every share has ended), and no other
        // test runs beside this collection; the loop only guards against a product on some other thread of the host.
        SpinWait wait = default;
        while (!GemmWorkers.TryAcquire())
        {
            wait.SpinOnce();
        }
    }

    [Fact]
    public void Every_share_runs_exactly_once_whichever_thread_claims_it()
    {
        // A worker's share is claimed once, by its worker or by the caller when the worker is late; a worker that wakes
        // late (or a stale request from the product before) must find its share taken rather than run it twice, also
        // when the next product has more shares than the last (a failed claim must not become a claim in it), and the
        // caller must not return before every share has ended. The counts cycle through 1 … MaxShares (at most 4).
        int most = Math.Min(GemmWorkers.MaxShares, 4);
        int mostBlocks = most * GemmWorkers.BlocksPerThread;
        var shares = new CountingShares(mostBlocks, spin: 200) { Caller = Environment.CurrentManagedThreadId };
        const int Products = 5_000;
        var expected = new int[mostBlocks];
        for (int p = 0; p < Products; p++)
        {
            // Threads cycle through 1 … most, and the blocks through threads … threads · BlocksPerThread.
            int threads = 1 + (p % most);
            int blocks = threads + ((p / most) % ((threads * (GemmWorkers.BlocksPerThread - 1)) + 1));
            Acquire();
            GemmWorkers.RunAndRelease(shares, threads, blocks);
            for (int s = 0; s < blocks; s++)
            {
                expected[s]++;
            }

            for (int s = 0; s < mostBlocks; s++)
            {
                shares.Runs[s].Should().Be(expected[s], "block {0} ran once per product that had it, after product {1}", s, p);
                shares.Ended[s].Should().Be(expected[s], "block {0} had ended when product {1} returned", s, p);
            }
        }

        if (most > 1)
        {
            // On a loaded machine (CI's legs beside a build, two cores) the workers may not get a core during those
            // products, and the caller then claims every share itself, as it should. Whether they take part at all is
            // asked of more products, the widest, for up to 30 s: a worker that never wakes still fails the test.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (shares.OnOtherThreads == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Acquire();
                GemmWorkers.RunAndRelease(shares, most, mostBlocks);
                for (int s = 0; s < mostBlocks; s++)
                {
                    expected[s]++;
                }
            }

            shares.Runs.Should().Equal(expected, "every block ran once per product, also in the extra ones");
            shares.OnOtherThreads.Should().BeGreaterThan(0, "the workers take part");
        }
    }

    [Fact]
    public void Every_block_runs_once_when_a_worker_is_held_up_between_claims_until_the_next_product()
    {
        // A worker held up between two claims (preempted, or its virtual CPU descheduled) while the caller ends the
        // product and opens the next one goes on with the runs of the product that ended, so its claims land in the next
        // product out of that product's runs, in the middle of the caller's own run for instance. The caller must still
        // see every block run exactly once. Here each worker waits after every block until the caller has started
        // another product, and the products alternate between two and eight blocks. A version that took only its own
        // run and the backs of the others', and closed whatever was left open, dropped blocks here (and in the Mixtures
        // sample one or two per run, whose output then differed from run to run).
        if (GemmWorkers.MaxShares < 2)
        {
            return;
        }

        const int Threads = 2, Products = 2_000;
        int blocksMost = Threads * GemmWorkers.BlocksPerThread;
        var shares = new CountingShares(blocksMost, spin: 20) { Caller = Environment.CurrentManagedThreadId };
        GemmWorkers.SetBetweenClaims(thread =>
        {
            if (thread != 0)
            {
                // Until the caller has started another product (at most 1 ms), then a little longer, so that its blocks
                // are open when this worker claims again.
                long product = GemmWorkers.Products;
                var wait = System.Diagnostics.Stopwatch.StartNew();
                while (GemmWorkers.Products == product && wait.ElapsedTicks < System.Diagnostics.Stopwatch.Frequency / 1_000)
                {
                    Thread.SpinWait(10);
                }

                Thread.SpinWait(50);
            }
        });
        var expected = new int[blocksMost];
        try
        {
            for (int p = 0; p < Products; p++)
            {
                int blocks = p % 2 == 0 ? Threads : blocksMost;
                Acquire();
                GemmWorkers.RunAndRelease(shares, Threads, blocks);
                for (int b = 0; b < blocks; b++)
                {
                    expected[b]++;
                }
            }
        }
        finally
        {
            GemmWorkers.SetBetweenClaims(null);
        }

        shares.Runs.Should().Equal(expected, "every block runs once in each product that has it");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20_000)]
    public void Each_run_is_a_front_on_its_owner_and_a_back_on_the_other_thread(int workerSlowdown)
    {
        // Two threads, eight blocks: the caller's run is blocks 0–3 and the worker's 4–7 (RunStart). Each thread goes
        // through its own run front to back and, once done, through the other's from the back, so each run is a front on
        // its owner and a back (possibly empty) on the other thread. And a run's first block goes to the other thread only
        // if that thread finished its own run and took this whole one before the owner started, which leaves the owner
        // nothing anywhere: a thread that ran any block ran the first of its own run. With the worker made slow (each
        // block it runs spins ten times longer), the caller, done with its own run, takes the back of the worker's. (With
        // one counter for all claims, as until the forty-fourth session, the threads took blocks in turn from the front:
        // the worker ran blocks of the caller's run but not the first of its own, in nearly every product.)
        // One thing breaks the pattern legitimately: a worker held up between two claims of one product goes on by its
        // runs into the next (the caller then runs what it skips; see the test above). The products here are 30 µs apart
        // so that a worker has left a finished product before the next opens, and a product that still shows it counts
        // as an exception, of which 2% are allowed: a CI leg saw one in 300 products.
        if (GemmWorkers.MaxShares < 2)
        {
            return;
        }

        const int Threads = 2, Blocks = 2 * GemmWorkers.BlocksPerThread, Products = 300;
        int caller = Environment.CurrentManagedThreadId;
        var shares = new CountingShares(Blocks, spin: 2_000) { Caller = caller, SlowOnWorkers = workerSlowdown };
        int start = GemmWorkers.RunStart(1, Threads, Blocks);
        start.Should().Be(GemmWorkers.BlocksPerThread, "the caller's run is the first BlocksPerThread blocks");
        int taken = 0, both = 0, exceptions = 0;
        var between = System.Diagnostics.Stopwatch.StartNew();
        for (int p = 0; p < Products; p++)
        {
            while (between.Elapsed.TotalMicroseconds < 30)
            {
                Thread.SpinWait(10);
            }

            Acquire();
            GemmWorkers.RunAndRelease(shares, Threads, Blocks);
            between.Restart();
            int[] ran = shares.LastThread.ToArray();
            int worker = ran.FirstOrDefault(t => t != caller);

            // The caller's run: a front on the caller, then the worker's (its back, if the worker got there first).
            int split = 0;
            while (split < start && ran[split] == caller)
            {
                split++;
            }

            // The worker's run: a front on the worker (empty if it woke late), then the caller's.
            int workerSplit = start;
            while (workerSplit < Blocks && ran[workerSplit] != caller)
            {
                workerSplit++;
            }

            bool pattern = ran[split..start].All(t => t == worker) && ran[workerSplit..].All(t => t == caller)
                && (split > 0 || !ran.Contains(caller)) && (workerSplit > start || worker == 0);
            exceptions += pattern ? 0 : 1;
            taken += Blocks - workerSplit;
            both += split > 0 && workerSplit > start ? 1 : 0;
        }

        exceptions.Should().BeLessThanOrEqualTo(Products / 50, "each run is a front on its owner and a back on the other thread, and a thread that ran any block ran the first of its own run");
        shares.Runs.Should().AllBeEquivalentTo(Products, "every block ran once per product");
        both.Should().BeGreaterThan(0, "both threads take part");
        if (workerSlowdown > 0)
        {
            taken.Should().BeGreaterThan(Products, "the caller took more than one of the slow worker's blocks per product on average");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void An_exception_in_a_share_reaches_the_caller_and_leaves_the_workers_free(int throwing)
    {
        int count = Math.Min(GemmWorkers.MaxShares, 2);
        if (throwing >= count)
        {
            return;
        }

        var shares = new CountingShares(count, spin: 10) { Caller = Environment.CurrentManagedThreadId, Throwing = throwing };
        Acquire();
        Action run = () => GemmWorkers.RunAndRelease(shares, count, count);
        run.Should().Throw<InvalidOperationException>().WithMessage($"share {throwing} failed");
        shares.Runs.Should().AllBeEquivalentTo(1, "every share still ran once");

        GemmWorkers.TryAcquire().Should().BeTrue("the failed product released the workers");
        shares.Throwing = -1;
        GemmWorkers.RunAndRelease(shares, count, count);
        shares.Runs.Should().AllBeEquivalentTo(2);
    }

    [Fact]
    public void The_workers_allocation_count_sees_a_block_that_allocates_on_a_worker()
    {
        // The steady-state test below counts the calling thread and AllocatedByWorkers: a block that allocated on a
        // worker must show there, or that test could not fail for the workers.
        if (GemmWorkers.MaxShares < 2)
        {
            return;
        }

        var shares = new AllocatingShares(Environment.CurrentManagedThreadId);
        long before = GemmWorkers.AllocatedByWorkers;
        for (int p = 0; p < 200 && shares.OnWorkers == 0; p++)
        {
            Acquire();
            GemmWorkers.RunAndRelease(shares, 2, 8);
        }

        shares.OnWorkers.Should().BeGreaterThan(0, "a worker took blocks in 200 products");
        (GemmWorkers.AllocatedByWorkers - before).Should().BeGreaterThanOrEqualTo((long)shares.OnWorkers * AllocatingShares.Bytes);
    }

    [Fact]
    public void Steady_state_products_split_across_threads_allocate_nothing()
    {
        // Parallel.For allocated its closure, options and tasks on every split product; the workers allocate nothing once
        // their scratch buffers have grown. The workers' allocations count too (GemmWorkers.AllocatedByWorkers).
        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        (bool Ta, bool Tb, int M, int K, int N)[] calls =
        [
            (false, false, 96, 96, 96), (true, false, 128, 64, 200), (false, true, 200, 64, 128), (false, false, 400, 300, 500), (false, false, 301, 700, 1),
        ];
        var rng = new Random(5);
        var buffers = calls.Select(x => (
            A: Enumerable.Range(0, x.M * x.K).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray(),
            B: Enumerable.Range(0, x.K * x.N).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray(),
            C: new float[x.M * x.N])).ToArray();
        void RunAll()
        {
            for (int i = 0; i < calls.Length; i++)
            {
                (bool ta, bool tb, int m, int k, int n) = calls[i];
                Gemm.Compute(ta, tb, m, n, k, buffers[i].A, ta ? m : k, buffers[i].B, tb ? k : n, buffers[i].C, n);
            }
        }

        int saved = Gemm.MaxDegreeOfParallelism;
        try
        {
            Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount; // every worker (ThreadCounts)
            using (GemmEngine.ForceBlocking(GemmEngine.BlockingFor(KernelDispatch.Width) with { ParallelThreshold = 1 }))
            {
                long before = GemmWorkers.Products;
                GemmEngine.TakeColumnTailRuns();
                RunAll();

                // Aᵀ·B 128×64×200's last 8 columns are a product of their own with AVX-512 (GemmEngine.ColumnTail), split too.
                int tails = GemmEngine.TakeColumnTailRuns();
                tails.Should().Be(GemmColumnTiles.IsSupported && KernelDispatch.Width == VectorWidth.Bits512 ? 1 : 0);
                (GemmWorkers.Products - before).Should().Be(calls.Length + tails, "every product is split");

                // What this thread and the workers allocated, and nothing else of the process: counted process-wide, the
                // test host's threads allocated now and then (168 bytes in every one of 200 one-round windows of a scalar
                // run on a loaded host). A split product that allocated would allocate in every window; a few windows
                // leave room for a first-time allocation of a thread's own (AllocationProbe).
                AllocationProbe.QuietestWindowOnGemmThreads(RunAll, warmUp: 50, calls: 1, windows: 10).Should().Be(0);
            }
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void A_product_streamed_by_rows_splits_into_one_block_per_worker()
    {
        // GemmEngine.RunParallel: the streaming route by rows copies chunks of op(A)'s few rows for every block, so it
        // takes one block per worker, as the packed route does; the direct loops take up to four per worker
        // (BalancingBlocks), so a worker done early can take over the end of a slower one's run. Both keep the bits of
        // one thread.
        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        var rng = new Random(61);
        float[] a = [.. Enumerable.Range(0, 16 * 2048).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
        float[] b = [.. Enumerable.Range(0, 2048 * 512).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
        float[] Run(GemmPath path, int threads, out (GemmRoute Route, int Blocks) split)
        {
            float[] c = new float[16 * 512];
            Gemm.MaxDegreeOfParallelism = threads;
            using (GemmEngine.ForcePath(path))
            {
                _ = GemmEngine.TakeLastSplit();
                Gemm.Compute(false, false, 16, 512, 2048, a, 2048, b, 512, c, 512);
                split = GemmEngine.TakeLastSplit();
            }

            return c;
        }

        int saved = Gemm.MaxDegreeOfParallelism;
        try
        {
            foreach (int threads in new[] { 2, Environment.ProcessorCount }.Distinct())
            {
                float[] streamed = Run(GemmPath.Stream, threads, out var split);
                split.Route.Should().Be(GemmRoute.StreamRows);
                split.Blocks.Should().BeInRange(2, threads, "A·B 16×2048×512 streamed on {0} threads: a block per worker", threads);
                streamed.Should().Equal(Run(GemmPath.Stream, 1, out var none), "the same bits on one thread");
                none.Blocks.Should().Be(0, "one thread splits nothing");

                // The direct loops on a C of many row blocks (256 × 256): more blocks than threads.
                Gemm.MaxDegreeOfParallelism = threads;
                using (GemmEngine.ForcePath(GemmPath.Direct))
                {
                    _ = GemmEngine.TakeLastSplit();
                    Gemm.Compute(false, false, 256, 256, 256, b, 256, b, 256, new float[256 * 256], 256);
                    split = GemmEngine.TakeLastSplit();
                }

                split.Route.Should().Be(GemmRoute.Direct);
                split.Blocks.Should().BeGreaterThan(threads, "the direct loops balance {0} threads over more blocks", threads);
            }
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Two_callers_at_once_both_get_the_bits_of_one_thread()
    {
        // One caller holds the workers while the other's products run on its own thread alone (or the other way round):
        // either way every product must equal the one-thread result bit for bit.
        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        const int M = 120, K = 100, N = 130;
        var rng = new Random(9);
        float[] a = Enumerable.Range(0, M * K).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, K * N).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        float[] expected = new float[M * N];
        int saved = Gemm.MaxDegreeOfParallelism;
        try
        {
            Gemm.MaxDegreeOfParallelism = 1;
            Gemm.Compute(false, false, M, N, K, a, K, b, N, expected, N);
            Gemm.MaxDegreeOfParallelism = Environment.ProcessorCount; // every worker (ThreadCounts)
            int mismatches = 0;
            void Caller()
            {
                var c = new float[M * N];
                using (GemmEngine.ForceBlocking(GemmEngine.BlockingFor(KernelDispatch.Width) with { ParallelThreshold = 1 }))
                {
                    for (int i = 0; i < 300; i++)
                    {
                        Array.Clear(c);
                        Gemm.Compute(false, false, M, N, K, a, K, b, N, c, N);
                        if (!c.AsSpan().SequenceEqual(expected))
                        {
                            Interlocked.Increment(ref mismatches);
                        }
                    }
                }
            }

            var threads = new[] { new Thread(Caller), new Thread(Caller) };
            foreach (Thread t in threads)
            {
                t.Start();
            }

            foreach (Thread t in threads)
            {
                t.Join();
            }

            mismatches.Should().Be(0);
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
        }
    }
}
