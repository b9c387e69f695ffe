using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// The data cache sizes of the host, read once at run time: x86 CPUID (leaf 4 on Intel; leaf 0x8000001D on AMD, or
/// AMD's older leaves 0x80000005/6 when that one is empty), else Linux sysfs
/// (<c>/sys/devices/system/cpu/cpu0/cache/index*/{level,type,size,ways_of_associativity}</c>), else a conservative
/// fallback (32 KB 8-way L1d, 256 KB 4-way L2, no L3) that every x86-64 and Arm server core of the last decade meets or
/// exceeds.
/// </summary>
internal sealed record GemmCacheInfo(int L1Bytes, int L1Ways, int L2Bytes, int L2Ways, long L3Bytes, string Source)
{
    /// <summary>The fallback when nothing can be read.</summary>
    public static readonly GemmCacheInfo Fallback = new(32 * 1024, 8, 256 * 1024, 4, 0, "fallback");

    /// <summary>The host's caches, read on first use.</summary>
    public static GemmCacheInfo Host { get; } = Detect();

    /// <summary>Asks CPUID (x86), then sysfs, then falls back. On x86 Linux fills sysfs's cache directories from the same
    /// CPUID leaves, so both give the same sizes (checked on the Intel host); CPUID answers in microseconds, while the
    /// first directory listing and file reads of a process took 5–9 ms, spent inside the GAN's first step.</summary>
    public static GemmCacheInfo Detect() => FromCpuId() ?? FromSysfs("/sys/devices/system/cpu/cpu0/cache") ?? Fallback;

    /// <summary>Parses a sysfs cache directory (one <c>index*</c> folder per cache); null when it is absent or incomplete.</summary>
    internal static GemmCacheInfo? FromSysfs(string directory)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                return null;
            }

            var found = default(Levels);
            foreach (string index in Directory.EnumerateDirectories(directory, "index*"))
            {
                string type = Read(index, "type");
                if (type is not ("Data" or "Unified"))
                {
                    continue;
                }

                int level = int.Parse(Read(index, "level"), CultureInfo.InvariantCulture);
                long size = ParseSize(Read(index, "size"));
                int ways = int.TryParse(ReadOrEmpty(index, "ways_of_associativity"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int w) ? w : 0;
                found.Add(level, size, ways);
            }

            return found.ToInfo("sysfs");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>x86 CPUID leaf 4 (Intel; AMD reports the same layout in leaf 0x8000001D): one sub-leaf per cache; on AMD,
    /// where leaf 0x8000001D is absent or empty, the older leaves 0x80000005/6 (<see cref="FromAmdLegacyLeaves"/>).</summary>
    internal static GemmCacheInfo? FromCpuId()
    {
        if (!X86Base.IsSupported)
        {
            return null;
        }

        (int maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
        (bool amd, uint maxExtended) = X86Vendor();
        int leaf = amd && maxExtended >= 0x8000001D ? unchecked((int)0x8000001D) : maxLeaf >= 4 ? 4 : -1;
        GemmCacheInfo? info = leaf == -1 ? null : FromDeterministicLeaf(leaf);
        if (info is null && amd && maxExtended >= 0x80000006)
        {
            // A hypervisor may hide the topology extensions (CPUID 0x80000001 ECX bit 22) and leave leaf 0x8000001D
            // empty, and then Linux fills no sysfs cache directories either: seen on an AMD EPYC family 26 (Zen 5) guest,
            // which fell back to 256 KB of L2. AMD's older leaves still describe L1d, L2 and L3.
            (_, _, int l1Ecx, _) = X86Base.CpuId(unchecked((int)0x80000005), 0);
            (_, _, int l2Ecx, int l3Edx) = X86Base.CpuId(unchecked((int)0x80000006), 0);
            info = FromAmdLegacyLeaves((uint)l1Ecx, (uint)l2Ecx, (uint)l3Edx);
        }

        return info;
    }

    /// <summary>Whether the x86 CPU is AMD's (or Hygon's, which implements AMD's leaves), and its highest extended CPUID
    /// leaf. Call only where <see cref="X86Base.IsSupported"/>.</summary>
    internal static (bool Amd, uint MaxExtended) X86Vendor()
    {
        (_, int vendorB, _, _) = X86Base.CpuId(0, 0);
        (int maxExtended, _, _, _) = X86Base.CpuId(unchecked((int)0x80000000), 0);
        return (vendorB is 0x68747541 or 0x6F677948, (uint)maxExtended); // "Auth" of AuthenticAMD, "Hygo" of HygonGenuine
    }

    /// <summary>Reads the sub-leaves of CPUID leaf 4 or 0x8000001D; null when they describe no L1d or no L2.</summary>
    private static GemmCacheInfo? FromDeterministicLeaf(int leaf)
    {
        var found = default(Levels);
        for (int sub = 0; sub < 16; sub++)
        {
            (int eax, int ebx, int ecx, _) = X86Base.CpuId(leaf, sub);
            int type = eax & 0x1F;
            if (type == 0)
            {
                break;
            }

            if (type == 2)
            {
                continue; // instruction cache
            }

            int level = (eax >> 5) & 0x7;
            int ways = ((ebx >> 22) & 0x3FF) + 1;
            int partitions = ((ebx >> 12) & 0x3FF) + 1;
            int line = (ebx & 0xFFF) + 1;
            long sets = (long)(uint)ecx + 1;
            long size = ways * partitions * line * sets;
            found.Add(level, size, ways);
        }

        return found.ToInfo("cpuid");
    }

    /// <summary>The data and unified caches a reader of sysfs or CPUID has found so far.</summary>
    private struct Levels
    {
        private int _l1;
        private int _l1Ways;
        private int _l2;
        private int _l2Ways;
        private long _l3;

        /// <summary>Records a cache of <paramref name="level"/> 1, 2 or 3 (its ways for L1 and L2); other levels are ignored.</summary>
        public void Add(int level, long size, int ways)
        {
            switch (level)
            {
                case 1:
                    (_l1, _l1Ways) = ((int)size, ways);
                    break;
                case 2:
                    (_l2, _l2Ways) = ((int)Math.Min(size, int.MaxValue), ways);
                    break;
                case 3:
                    _l3 = size;
                    break;
            }
        }

        /// <summary>The caches found, checked by <see cref="Sane"/>; null without an L1d and an L2.</summary>
        public readonly GemmCacheInfo? ToInfo(string source) =>
            _l1 > 0 && _l2 > 0 ? Sane(new GemmCacheInfo(_l1, _l1Ways, _l2, _l2Ways, _l3, source)) : null;
    }

    /// <summary>
    /// Decodes AMD's CPUID leaves 0x80000005 (ECX: L1d size in KB in bits 31–24, ways in 23–16, 0xFF for fully
    /// associative) and 0x80000006 (ECX: L2 size in KB in bits 31–16, encoded ways in 15–12; EDX: L3 size in 512 KB
    /// units in bits 31–18). Null when L1d or L2 reads as zero. Ways the encoding leaves open (fully associative, or
    /// "see leaf 0x8000001D") become 0, which <see cref="Sane"/> replaces with the fallback's.
    /// </summary>
    internal static GemmCacheInfo? FromAmdLegacyLeaves(uint l1Ecx, uint l2Ecx, uint l3Edx)
    {
        int l1 = (int)(l1Ecx >> 24) * 1024;
        uint l1Assoc = (l1Ecx >> 16) & 0xFF;
        int l1Ways = l1Assoc is 0 or 0xFF ? 0 : (int)l1Assoc;
        int l2 = (int)(l2Ecx >> 16) * 1024;
        int l2Ways = AmdEncodedWays((l2Ecx >> 12) & 0xF);
        long l3 = (long)(l3Edx >> 18) * 512 * 1024;
        return l1 > 0 && l2 > 0 ? Sane(new GemmCacheInfo(l1, l1Ways, l2, l2Ways, l3, "cpuid-legacy")) : null;
    }

    /// <summary>The 4-bit associativity code of leaf 0x80000006 as its lowest way count (AMD APM vol. 3, E.4.4).</summary>
    private static int AmdEncodedWays(uint code) => code switch
    {
        1 => 1,
        2 => 2,
        3 => 3,
        4 => 4,
        5 => 6,
        6 => 8,
        8 => 16,
        0xA => 32,
        0xB => 48,
        0xC => 64,
        0xD => 96,
        0xE => 128,
        _ => 0, // 0 disabled, 9 "see leaf 0x8000001D", 0xF fully associative
    };

    /// <summary>"48K", "2048K", "260M" or a plain byte count.</summary>
    internal static long ParseSize(string text)
    {
        text = text.Trim();
        long scale = text.EndsWith('K') ? 1024 : text.EndsWith('M') ? 1024 * 1024 : text.EndsWith('G') ? 1024L * 1024 * 1024 : 1;
        string digits = scale == 1 ? text : text[..^1];
        return long.Parse(digits, CultureInfo.InvariantCulture) * scale;
    }

    /// <summary>Rejects values no real cache has (a virtual machine may report anything), keeping the fallback's instead.</summary>
    private static GemmCacheInfo Sane(GemmCacheInfo info) => info with
    {
        L1Bytes = info.L1Bytes is >= 8 * 1024 and <= 1024 * 1024 ? info.L1Bytes : Fallback.L1Bytes,
        L1Ways = info.L1Ways is >= 2 and <= 64 ? info.L1Ways : Fallback.L1Ways,
        L2Bytes = info.L2Bytes is >= 64 * 1024 and <= 64 * 1024 * 1024 ? info.L2Bytes : Fallback.L2Bytes,
        L2Ways = info.L2Ways is >= 2 and <= 64 ? info.L2Ways : Fallback.L2Ways,
        L3Bytes = info.L3Bytes is >= 0 and <= 4L * 1024 * 1024 * 1024 ? info.L3Bytes : 0,
    };

    private static string Read(string directory, string file) => File.ReadAllText(Path.Combine(directory, file)).Trim();

    private static string ReadOrEmpty(string directory, string file)
    {
        string path = Path.Combine(directory, file);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
    }
}

/// <summary>
/// How the host's vector units execute 512-bit instructions: at full width (Intel's AVX-512 cores, AMD Zen 5's desktop
/// and server cores) or as two 256-bit halves (AMD Zen 4, Zen 5's mobile cores). AMD reports it in CPUID leaf
/// 0x8000001A (performance optimization identifiers), EAX bit 3, "FP512": set where 512-bit operations run full width.
/// </summary>
internal static class HostVectorUnits
{
    /// <summary>True on an AMD core with AVX-512 that does not report full-width 512-bit execution, or that hides leaf
    /// 0x8000001A; false elsewhere, including every core without AVX-512 and every Intel core. On a core with AVX-512,
    /// <see cref="OverrideVariable"/> set to 1 or 0 replaces the detection.</summary>
    public static bool SplitsVector512 { get; } = Detect();

    /// <summary>
    /// The environment variable that, on a core with AVX-512, replaces the detection: <c>1</c> picks the kernels and
    /// tiles of a core that runs 512-bit vectors as two halves (AMD Zen 4), <c>0</c> those of a full-width one. Every
    /// choice it moves is one of speed, never of bits; it exists so that one host can run, test and time both sets of
    /// paths (CI runs the kernel and layer tests with <c>1</c> on its full-width host). Read once, when the first GEMM
    /// initializes the engine.
    /// </summary>
    internal const string OverrideVariable = "GANCORE_SPLIT_VECTOR512";

    /// <summary>What <see cref="OverrideVariable"/> asks for: true for 1, false for 0, null when unset or anything else.</summary>
    internal static bool? Override => Environment.GetEnvironmentVariable(OverrideVariable) switch
    {
        "1" => true,
        "0" => false,
        _ => null,
    };

    private static bool Detect()
    {
        if (!X86Base.IsSupported || !Avx512F.IsSupported)
        {
            return false;
        }

        if (Override is bool forced)
        {
            return forced;
        }

        (bool amd, uint maxExtended) = GemmCacheInfo.X86Vendor();
        if (!amd)
        {
            return false;
        }

        int optimization = maxExtended >= 0x8000001A ? X86Base.CpuId(unchecked((int)0x8000001A), 0).Eax : 0;
        return SplitsFromAmdOptimizationLeaf(optimization);
    }

    /// <summary>Decodes leaf 0x8000001A's EAX: 512-bit vectors are split unless bit 3 (FP512) is set.</summary>
    internal static bool SplitsFromAmdOptimizationLeaf(int eax) => (eax & 0x8) == 0;
}

/// <summary>
/// The packed path's cache blocking and the parallel threshold, derived from <see cref="GemmCacheInfo"/> for a
/// micro-kernel of MR rows × NR columns (docs/kernels.md, "Blocking from the cache sizes").
/// </summary>
/// <param name="KC">The K block: with 8-row kernels a packed A sliver (MR × KC) stays in L1 while B slivers stream past
/// it; with narrower kernels a B sliver (KC × NR) does, and A slivers stream (<see cref="KeepsASliverInL1"/>).</param>
/// <param name="MC">The M block (a multiple of MR): the packed A panel (MC × KC), in L3 (or L2 without one) with 8-row
/// kernels, in L2 otherwise.</param>
/// <param name="NC">The N block (a multiple of NR): the packed B block (KC × NC), in L2 with 8-row kernels, in L3 (or L2
/// without one) otherwise.</param>
/// <param name="ParallelThreshold">M·N·K at and above which the product is split across threads.</param>
/// <param name="StreamBytes">The streaming path's accumulator block (rows × strip columns): a sixteenth of L2, at least
/// half of L1d.</param>
/// <param name="StreamChunk">The rows of the large operand the streaming path takes per pass of the micro-kernels: a
/// chunk's rows across one micro-tile (NR columns) fill an eighth of L1d.</param>
/// <param name="DirectBytes">Products whose op(A), op(B) and C span at most this many bytes of memory together run on
/// the direct loops, unpacked, at any M·N·K: the operands are already resident in L2, so packing would only copy them.
/// Half of L2 for the 8-row kernels, a quarter for the narrower ones.</param>
internal sealed record GemmBlocking(int KC, int MC, int NC, long ParallelThreshold, int StreamBytes, int StreamChunk, long DirectBytes)
{
    /// <summary>
    /// A·B (op(A) and op(B) both with contiguous rows) whose op(B) takes at most this many bytes and whose K is at most
    /// <see cref="ResidentBDepth"/> runs on the direct loops at any size: op(B) stays in L2 while every block of rows of C
    /// reads it, and an MR-row block of A stays in L1 across a row of C, so packing A and blocking K add copies and
    /// stores of C for nothing. All of L2 for the 8-row kernels; 0 (never) for the narrower ones. 0 unless derived.
    /// </summary>
    public long ResidentBBytes { get; init; }

    /// <summary>The longest K <see cref="ResidentBBytes"/> admits: MR rows of A take at most half of L1d.</summary>
    public int ResidentBDepth { get; init; }

    /// <summary>
    /// A product whose op(A) rows are contiguous (A·B, A·Bᵀ), whose C is at most <see cref="GemmEngine.FewTiles"/>
    /// micro-tiles (NR columns each) wide and whose op(B) takes at most this many bytes runs on the direct loops at any
    /// size and any K: the packed path would copy all of op(A) for a handful of tiles' use, while the direct loops read
    /// op(B) again for every block of rows of C, so op(B) has to stay in the L3 this core can count on. A quarter of L3
    /// (as for the A panel), at most four times L2 (an L3 shared by many cores is not this core's); half of L2 without
    /// an L3. 0 (never) unless derived.
    /// </summary>
    public long FewTilesBBytes { get; init; }

    /// <summary>
    /// A product whose op(B) rows are contiguous (A·B, Aᵀ·B), with at most <see cref="GemmEngine.FewRowBlocks"/> blocks of
    /// MR rows of C and an op(B) of at most this many bytes runs on the direct loops at any size and any K: the packed
    /// path would copy all of op(B) for a handful of row blocks' use and cut K into KC blocks (C stored and reloaded
    /// once per block), while the direct loops read op(B) in place once per block of rows, so op(B) has to stay in the
    /// L3 this core can count on: the bound of <see cref="FewTilesBBytes"/>, for the 8-row kernels. The narrower ones
    /// (12 accumulators) need it in L2: all of L2 where a tile's NR columns fill a 64-byte line (6 × 16 at 256 bits), 0
    /// (never) where they fill half of one (128 bits). 0 unless derived.
    /// </summary>
    public long FewRowsBBytes { get; init; }

    /// <summary>
    /// The streaming routes (<see cref="GemmStream"/>) prefetch their large operand Y when the memory its rows span takes
    /// at least this many bytes: Y then does not stay in L3 from one pass to the next, and each tile's walk down a chunk
    /// of Y's rows, a line or a few from each row in a page of its own, outruns the hardware prefetchers. Half of L3, at
    /// most 16 times L2 (a large L3 shared by many cores is not this core's), or all of L2 without an L3. 0 (always)
    /// unless derived: tests force it to run the prefetching walk on small operands.
    /// </summary>
    public long StreamPrefetchBytes { get; init; }

    /// <summary>Derives the blocking for an MR × NR kernel on caches <paramref name="cache"/>.</summary>
    public static GemmBlocking Derive(GemmCacheInfo cache, int mr, int nr)
    {
        int kc, mc, nc;
        long panelBytes = cache.L3Bytes > 0 ? cache.L3Bytes / 4 : cache.L2Bytes / 2;
        if (KeepsASliverInL1(mr))
        {
            // L1: the packed A sliver (MR·KC floats), whose elements the kernel broadcasts, stays resident while B slivers
            // stream through from L2: it takes a quarter of L1d, the rest holds the B lines in flight and C's tile. A long
            // KC spreads each tile's load and store of C over more FMAs.
            kc = Clamp(cache.L1Bytes / 4 / (mr * sizeof(float)) / 8 * 8, 64, 1024);

            // L2: the packed B block (KC·NC floats) takes half of L2; every A sliver of the panel streams all of it.
            nc = Clamp(cache.L2Bytes / 2 / (kc * sizeof(float)) / nr * nr, nr, 8192 / nr * nr);

            // L3 (shared, so a quarter of it) or, without an L3, half of L2 holds the packed A panel (MC·KC floats), read
            // once per B block. The larger the panel, the fewer times each B block is packed (once when MC ≥ M).
            mc = (int)Clamp(panelBytes / (kc * sizeof(float)) / mr * mr, mr * 4L, 4096L / mr * mr);
        }
        else
        {
            // L1: keep one B sliver (KC·NR floats) resident while an A sliver (MR·KC) and a few lines of C stream
            // through. Give the B sliver its share of the ways not needed by the streams: (W − 1)·NR/(NR + MR) ways, one
            // way left for C and the stack. KC = those ways' bytes / (NR·4).
            int l1Ways = Max(cache.L1Ways, 2);
            int wayBytes = cache.L1Bytes / l1Ways;
            int bWays = Max(1, (l1Ways - 1) * nr / (nr + mr));
            kc = Clamp(bWays * wayBytes / (nr * sizeof(float)) / 8 * 8, 64, 1024);

            // L2: the packed A block (MC·KC floats) takes half of L2; the other half holds the B sliver in flight, C's
            // lines and whatever the next block prefetches.
            mc = Clamp(cache.L2Bytes / 2 / (kc * sizeof(float)) / mr * mr, mr * 4, 4096 / mr * mr);

            // L3 (shared, so a quarter of it) or, without an L3, half of L2 holds the packed B panel (KC·NC floats).
            nc = (int)Clamp(panelBytes / (kc * sizeof(float)) / nr * nr, nr * 4L, 8192L / nr * nr);
        }

        // Threads: while A, B and C together fit in one core's L1d, that core computes the whole product in a few µs
        // out of its L1, about what a second worker, even awake (GemmWorkers), would spend fetching its share of the
        // operands from the first core's caches. Above that the product is split. For a cube of side s: 3·s²·4 bytes =
        // L1d, so the threshold is s³, at least 32³. (A quarter of L2, the rule while a fork through Parallel.For cost
        // 5–20 µs, kept 64³–147³ on one thread on Zen 4, where two threads now run them 1.45–2.0× faster.)
        double side = Math.Sqrt(cache.L1Bytes / (3.0 * sizeof(float)));
        long parallel = Max(32L * 32 * 32, Truncate(side * side * side));

        // Streaming (GemmStream): the register kernels carry each tile of accumulators through a chunk of Y's rows and
        // store it back, so the R × S accumulator block is touched once per chunk and can sit in L2: a sixteenth of it
        // leaves room for the chunk of Y and the output. Long strips keep each row's walk through Y sequential for the
        // hardware prefetcher. A chunk's rows across one tile (chunk × NR floats) take an eighth of L1d, so the tile's
        // other row groups read them from L1 after the first has fetched them.
        int streamBytes = Max(cache.L2Bytes / 16, cache.L1Bytes / 2);
        int chunk = Clamp(cache.L1Bytes / 8 / (nr * sizeof(float)) / 4 * 4, 8, 256);

        // Packing copies op(A) and op(B) into slivers so that the kernel's operands come from L1 and L2 whatever the
        // shape and strides. When the memory op(A), op(B) and C span fits in half of L2 they are there already (the
        // other half holds what the kernel streams and what the hardware prefetches), and the copies are pure cost: on
        // Zen 4 at 512 bits the direct loops ran 128³–192³ 9–30% faster. The kernels of narrower vectors get a quarter
        // of L2: with 12 or 8 accumulators they have less slack for loads that miss L1 (KeepsASliverInL1), and at
        // 256 bits on Zen 4 unpacked operands of 576 and 768 KB (56% and 75% of L2) ran slower, 192–432 KB as fast or
        // faster (benchmarks/RESULTS.md, sixteenth session). Larger operands, and views whose rows lie far apart, keep
        // packing. Below 384 KB of L2 (the fallback's 256 KB) no product of 128³ or more fits, and nothing changes.
        long directBytes = KeepsASliverInL1(mr) ? cache.L2Bytes / 2 : cache.L2Bytes / 4;

        // A·B with op(B) in L2 and an MR-row block of op(A) in half of L1d: the direct loops read op(B) from L2 once per
        // block of rows of C (packed once into strips when C is large) and each row block of A from L1 across all of N,
        // so the packed path's copies of A, and its K blocks (C stored and reloaded per KC), buy nothing. On Zen 5 at
        // 512 bits, one thread, A·B 256³ ran 1.06–1.07 of OpenBLAS direct against 0.96–0.97 packed and 512³ 1.03–1.09
        // against 0.96–1.00; 1024³, whose op(B) is four times L2, ran the same either way and 2048³ slower direct
        // (benchmarks/RESULTS.md, twenty-third session; Zen 4 alike in the sixteenth). Only the 8-row kernels: at
        // 256 bits unpacked operands beyond a quarter of L2 were slower (above).
        long residentB = KeepsASliverInL1(mr) ? cache.L2Bytes : 0;
        int residentDepth = KeepsASliverInL1(mr) ? cache.L1Bytes / 2 / (mr * sizeof(float)) : 0;

        // A C of a few tiles' width (GemmEngine.FewTiles): packing copies all of op(A) (M·K floats, read and written) and
        // then spends at most FewTiles·NR columns of FMAs on each copied float, while the direct loops read op(A) in place
        // once per tile and op(B) once per block of rows. On Zen 4 at 512 bits, one thread, A·B and A·Bᵀ with N = 20-384
        // and K = 600-8,192 ran 1.1-2.2x faster direct (benchmarks/RESULTS.md, twenty-ninth session). op(B) is then read
        // from L3 for every block of rows, so it is bounded by the share of L3 used for the A panel, and by four times L2
        // where the L3 is large and shared. The narrower kernels alike: at 256 bits (N = 26-128) even to 1.5x faster
        // direct, one shape (512×8192×48) a few percent slower; at 128 bits (N = 24-64, x64 with AVX off; Arm64 not
        // measured) even to 1.35x faster.
        long fewTilesB = cache.L3Bytes > 0 ? Min(cache.L3Bytes / 4, 4L * cache.L2Bytes) : cache.L2Bytes / 2;

        // A C of a few blocks of rows (GemmEngine.FewRowBlocks), the mirror case: packing copies all of op(B) for at most
        // eight row blocks' use, and its K blocks store and reload C K / KC times, while the direct loops read op(B) in
        // place once per block of rows, so op(B) is bounded as above. On Zen 4 at 512 bits, one thread, A·B and Aᵀ·B
        // with 24–64 rows and op(B) of 2–4 MB (784×1024, 1024×1024, 256×2048) ran 0.83–0.91 of the packed time direct;
        // 16 MB (2048×2048) ran slower and 8 MB even (benchmarks/RESULTS.md, sixtieth session). The narrower kernels
        // (12 accumulators, B sliver resident in L1 on the packed path) need op(B) in L2: at 256 bits on Zen 4 with
        // AVX-512 off, 8–48 rows and op(B) of 0.75–1.5 MB (784×256, 512×512, 768×512) ran 0.84–0.97 of the packed time
        // direct, 2 MB even (0.97–1.03) and 4 MB slower (1.02–1.19) (sixty-first session). A tile's row of op(B) must fill
        // a 64-byte line (NR·4 bytes, 16 columns): at 128 bits (8 columns, half a line per k) the direct loops read each
        // line of op(B) twice, once per column tile, and ran even to 1.07× slower at the same shapes, so they get none.
        long fewRowsB = KeepsASliverInL1(mr) ? fewTilesB : nr * sizeof(float) >= 64 ? cache.L2Bytes : 0;

        // Streaming (GemmStream) from memory: a tile reads NR columns (one to three lines) from each of a chunk's rows of
        // Y, rows a page or more apart, so the walk keeps dozens of streams open at once, more than the hardware
        // prefetchers track. From L3 the loads' latency still hides behind the FMAs, and asking for the lines ahead by
        // hand only adds instructions; from memory the kernels wait on nearly every row. An operand of at least half of
        // L3 does not stay there between passes (C, the other operand and other cores' data share it), nor does one of
        // more than 16 times L2 where the L3 is large and shared by many cores (four times FewTilesBBytes' share), so
        // from there the routes prefetch it. On Zen 4 (L3 32 MB), one thread: a Y of 16–32 MB ran 0.60–0.89 of the time
        // prefetched at 512 bits; at 256 bits, where a process without the prefetch often ran such a product 2–4 times
        // slower than its best, as little as 0.25 (Aᵀ·B 5×4096×2048 5,009 → 1,561 µs); 12 MB about even, and 8–10 MB,
        // in L3 anyway, up to 1.20 slower (benchmarks/RESULTS.md, sixty-second session). Without an L3 (not measured)
        // anything past L2 comes from memory.
        long streamPrefetch = cache.L3Bytes > 0 ? Min(cache.L3Bytes / 2, 16L * cache.L2Bytes) : cache.L2Bytes;
        return new GemmBlocking(kc, mc, nc, parallel, streamBytes, chunk, directBytes)
        {
            ResidentBBytes = residentB,
            ResidentBDepth = residentDepth,
            FewTilesBBytes = fewTilesB,
            FewRowsBBytes = fewRowsB,
            StreamPrefetchBytes = streamPrefetch,
        };
    }

    /// <summary>
    /// Which sliver the packed loops keep in L1: the A sliver (MR × KC, whose elements the kernel broadcasts) for kernels
    /// of 8 rows, with B slivers streamed from L2; the B sliver (KC × NR) for kernels of fewer rows, with A slivers
    /// streamed. The 8 × 3 kernel of 512-bit vectors has 24 accumulators, enough independent FMAs to cover its vector
    /// loads coming from L2, and the A sliver is a sixth of the B sliver, so KC doubles. The kernels of narrower vectors
    /// (6 × 2 at 256 bits and at 128 on x64, 4 × 2 at 128 on Arm64) have 12 or 8 accumulators, little slack over the
    /// multiply-add latency: forced to 256 bits on the Intel host, streaming B measured 66–67 GFLOP/s at 512³ and 1024³
    /// for any blocking tried, against 70 with B resident (4 × 2 kernels); on Zen 4 with the 6 × 2 kernels the A-resident
    /// order was no faster (0.88–0.93 of OpenBLAS's AVX2 kernel from 256³ to 2048³, against 0.90–0.94).
    /// </summary>
    internal static bool KeepsASliverInL1(int mr) => mr >= 8;

    // Math.Max, Math.Min and Math.Clamp written out: the runtime refuses precompiled code that calls them
    // (docs/kernels.md, "Warm-up"), and this method runs in a process's first GEMM.
    private static int Max(int a, int b) => a > b ? a : b;

    private static long Max(long a, long b) => a > b ? a : b;

    private static long Min(long a, long b) => a < b ? a : b;

    private static int Clamp(int value, int low, int high) => value < low ? low : value > high ? high : value;

    private static long Clamp(long value, long low, long high) => value < low ? low : value > high ? high : value;

    /// <summary>
    /// (long)x for 0 ≤ x, without a floating-point-to-integer conversion: the runtime refuses precompiled code that
    /// converts a double to an integer (that conversion's code depends on instruction sets beyond the image's). Adding
    /// 2⁵² to ⌊x⌋ &lt; 2⁵² leaves the integer in the low bits of the sum; larger x give 2⁵² − 1.
    /// </summary>
    private static long Truncate(double x)
    {
        const double twoTo52 = 4503599627370496.0;
        double whole = Math.Floor(x);
        return whole < twoTo52 ? BitConverter.DoubleToInt64Bits(whole + twoTo52) - BitConverter.DoubleToInt64Bits(twoTo52) : (long)twoTo52 - 1;
    }
}

/// <summary>
/// The GEMM engine asked for a micro-kernel shape it does not have: an internal error, never a user error. It names the
/// requested rows × vectors so the missing case can be found; before it existed such a shape silently ran the 1×1 kernel.
/// </summary>
internal sealed class GemmKernelMissingException : InvalidOperationException
{
    public GemmKernelMissingException(int rows, int vectors)
        : base($"No GEMM micro-kernel for {rows} row(s) × {vectors} vector(s); the kernels are K{{R}}x{{NV}} for the shapes GemmMicroKernels.cs lists.")
    {
        Rows = rows;
        Vectors = vectors;
    }

    /// <summary>A row-tail kernel (one that does not walk several row blocks) was asked for more than one block.</summary>
    public GemmKernelMissingException(int rows, int vectors, int blocks)
        : base($"No GEMM micro-kernel for {blocks} blocks of {rows} row(s) × {vectors} vector(s): K{rows}x{vectors} is a row-tail kernel and takes one block; only the 12-, 8-, 6- and 4-row kernels walk several.")
    {
        Rows = rows;
        Vectors = vectors;
    }

    /// <summary>The rows of C the caller asked for.</summary>
    public int Rows { get; }

    /// <summary>The vectors of C the caller asked for.</summary>
    public int Vectors { get; }
}
