using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GanCore.Kernels;

namespace GanCore.Benchmarks;

/// <summary>
/// A GEMM benchmark case: the form and M×K×N, written "AB 64x5x128", "AtB 15x64x128" (Aᵀ·B) or "ABt 64x128x15" (A·Bᵀ).
/// </summary>
public readonly record struct GemmShape(bool TransposeA, bool TransposeB, int M, int K, int N)
{
    /// <summary>2·M·N·K.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Parses "AB 64x5x128" and friends.</summary>
    /// <exception cref="FormatException">The text is not a form (AB, AtB, ABt, AtBt) and M×K×N of positive integers.</exception>
    public static GemmShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] dims = parts.Length == 2 ? parts[1].Split('x') : [];
        var d = new int[3];
        bool valid = parts.Length == 2 && parts[0] is "AB" or "AtB" or "ABt" or "AtBt" && dims.Length == 3;
        for (int i = 0; valid && i < 3; i++)
        {
            valid = int.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out d[i]) && d[i] > 0;
        }

        if (!valid)
        {
            throw new FormatException($"'{text}' is not a GEMM shape: expected AB, AtB, ABt or AtBt and MxKxN of positive integers, e.g. 'AB 64x5x128'.");
        }

        return new GemmShape(parts[0].StartsWith("At", StringComparison.Ordinal), parts[0].EndsWith("Bt", StringComparison.Ordinal), d[0], d[1], d[2]);
    }
}

/// <summary>
/// One GEMM operand in native memory whose first float lies <see cref="Offset"/> floats past a 64-byte boundary: 0 by
/// default, where GanCore's <c>Matrix</c> puts its storage. A managed array starts wherever the heap puts it; a start
/// off the cache line splits vector loads across two lines. On the Zen 4 host of the thirty-first session A·B 64×128×1
/// took 0.30–0.34 µs aligned and 0.44–0.52 four floats off, in GanCore and OpenBLAS alike, so unaligned arrays made the
/// absolute times wander from process to process (`gemm-ratios --offset` measures the misaligned case).
/// </summary>
public sealed unsafe class GemmOperand : IDisposable
{
    private void* _block;

    /// <summary>Allocates <paramref name="length"/> floats, uniform in [−0.5, 0.5) from <paramref name="rng"/>, or zero without one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative, or the offset is not 0–15.</exception>
    public GemmOperand(int length, int offset, Random? rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (offset is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset from a 64-byte boundary is 0 to 15 floats.");
        }

        _block = NativeMemory.AlignedAlloc(((nuint)length + (nuint)offset) * sizeof(float), 64);
        First = (float*)_block + offset;
        Length = length;
        Offset = offset;
        for (int i = 0; i < length; i++)
        {
            First[i] = rng is null ? 0f : (float)rng.NextDouble() - 0.5f;
        }
    }

    /// <summary>The first float.</summary>
    public float* First { get; private set; }

    /// <summary>The number of floats (0 once disposed).</summary>
    public int Length { get; private set; }

    /// <summary>Floats from the 64-byte boundary to the first float.</summary>
    public int Offset { get; }

    /// <summary>The floats.</summary>
    public Span<float> Span => new(First, Length);

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        NativeMemory.AlignedFree(_block);
        _block = null;
        First = null;
        Length = 0;
    }
}

/// <summary>
/// cblas_sgemm from libopenblas, loaded at run time. Absent library: <see cref="IsAvailable"/> is false and
/// <see cref="GemmConfig"/> drops the OpenBLAS cases.
/// </summary>
/// <remarks>
/// The baseline must be OpenBLAS at its best on this CPU. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset in the
/// native environment (the managed Environment API does not reach getenv) and the library is loaded, so it first
/// detects the CPU itself. When the CPU has AVX-512 (CPUID leaf 7, EBX bit 16, with OS support of the ZMM state) and
/// the core OpenBLAS picked has no AVX-512 kernel (0.3.21 picks "Prescott" on some Xeons), the library is unloaded,
/// OPENBLAS_CORETYPE=SkylakeX is set and it is loaded again. OPENBLAS_THREAD_TIMEOUT is set to 4 unless the environment
/// sets it, so the baseline's idle threads do not spin on the core GanCore's next call needs. When the process runs
/// with AVX-512 disabled (DOTNET_EnableAVX512=0) on an AVX-512 CPU, OPENBLAS_CORETYPE=Haswell holds OpenBLAS to its
/// AVX2 kernel as well, so such a run measures what an AVX2-only host would. When GanCore runs 128-bit vectors on a CPU
/// with AVX2 (DOTNET_EnableAVX2=0, or DOTNET_EnableAVX=0), OPENBLAS_CORETYPE=Sandybridge (AVX still on) or Nehalem (SSE
/// only) holds OpenBLAS to the kernel of a host without AVX2.
/// <see cref="Describe"/> says which core runs and why.
/// </remarks>
public static unsafe class OpenBlasNative
{
    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> s_sgemm;
    private static readonly delegate* unmanaged<int, void> s_setThreads;
    private static readonly string s_description = "OpenBLAS: not found (libopenblas.so.0); the OpenBLAS cases are skipped.";

    static OpenBlasNative()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            s_description = "OpenBLAS: not loaded on this OS.";
            return;
        }

        string? inherited = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");
        _ = unsetenv("OPENBLAS_CORETYPE");
        _ = unsetenv("OPENBLAS_L2_SIZE");

        // OpenBLAS's idle worker threads spin for 2^28 cycles (~0.1 s) after each call before they sleep. In interleaved
        // two-thread rounds they held the second core through the GanCore call that followed: 768³ measured at GanCore's
        // one-thread speed in most rounds. 2^4 cycles makes them sleep at once; each call wakes them (µs, against ms).
        string? timeout = Environment.GetEnvironmentVariable("OPENBLAS_THREAD_TIMEOUT");
        if (timeout is null)
        {
            _ = setenv("OPENBLAS_THREAD_TIMEOUT", "4", 1);
        }

        if (!TryLoad(out nint handle, out string detected))
        {
            return;
        }

        bool avx512 = CpuHasAvx512();
        string core = detected;
        string note = inherited is null ? string.Empty : $"; OPENBLAS_CORETYPE={inherited} from the environment was unset";
        note += timeout is null
            ? "; OPENBLAS_THREAD_TIMEOUT=4, so its idle threads sleep at once instead of spinning on the other core"
            : $"; OPENBLAS_THREAD_TIMEOUT={timeout} from the environment";
        bool gancore512 = KernelDispatch.HardwareWidth == VectorWidth.Bits512; // the width GanCore's kernels run at
        if (avx512 && !gancore512 && System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            // GanCore runs without 512-bit vectors in this process (DOTNET_EnableAVX512=0; a runtime that only prefers
            // 256-bit vectors leaves GanCore's kernels at 512): hold OpenBLAS to its AVX2 kernel too, so the ratios are
            // those of an AVX2-only host, same instruction set on both sides.
            NativeLibrary.Free(handle);
            _ = setenv("OPENBLAS_CORETYPE", "Haswell", 1);
            if (!TryLoad(out handle, out core))
            {
                return;
            }

            note += "; GanCore runs 256-bit vectors in this process (AVX-512 disabled), so OPENBLAS_CORETYPE=Haswell holds OpenBLAS to its AVX2 kernel as well: the ratios of an AVX2-only host";
        }
        else if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.X86Base.IsSupported && CpuInfoHasFlag("avx2"))
        {
            // AVX2 is off on a CPU that has it (DOTNET_EnableAVX2=0 or DOTNET_EnableAVX=0): hold OpenBLAS to the kernel of
            // the host that simulates, Sandy Bridge's (AVX, no FMA; GanCore's register-tiled GEMMs run at 256 bits there
            // too, SimdAvx) while the runtime still has AVX, else Nehalem's (SSE, 128 bits, the width of Arm64's NEON that
            // GanCore's 128-bit kernels also serve).
            string target = System.Runtime.Intrinsics.X86.Avx.IsSupported ? "Sandybridge" : "Nehalem";
            NativeLibrary.Free(handle);
            _ = setenv("OPENBLAS_CORETYPE", target, 1);
            if (!TryLoad(out handle, out core))
            {
                return;
            }

            note += System.Runtime.Intrinsics.X86.Avx.IsSupported
                ? $"; GanCore runs its packed and direct GEMMs at 256 bits in AVX's own instructions and the rest at 128 in this process (AVX2 disabled), so OPENBLAS_CORETYPE={target} holds OpenBLAS to the kernel of a host without AVX2 (AVX without FMA)"
                : $"; GanCore runs 128-bit vectors in this process (AVX and AVX2 disabled), so OPENBLAS_CORETYPE={target} holds OpenBLAS to the kernel of a host without AVX (SSE)";
        }
        else if (avx512 && gancore512 && !IsAvx512Core(detected))
        {
            NativeLibrary.Free(handle);
            _ = setenv("OPENBLAS_CORETYPE", "SkylakeX", 1);
            if (!TryLoad(out handle, out core))
            {
                return;
            }

            note += $"; the CPU has AVX-512 but OpenBLAS detected \"{detected}\", so OPENBLAS_CORETYPE=SkylakeX was set before loading it again";
        }

        _ = NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm);
        _ = NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setThreads);
        s_sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        s_setThreads = (delegate* unmanaged<int, void>)setThreads;
        s_description = $"OpenBLAS core: {core} (CPU AVX-512: {(avx512 ? "yes" : "no")}{note}).";
    }

    /// <summary>True when libopenblas was found.</summary>
    public static bool IsAvailable => s_sgemm != null;

    /// <summary>The core OpenBLAS runs (openblas_get_corename) and whether it was forced, for the benchmark output.</summary>
    public static string Describe() => s_description;

    /// <summary>openblas_set_num_threads.</summary>
    public static void SetThreads(int threads) => s_setThreads(threads);

    /// <summary>Row-major C = op(A)·op(B) (β = 0).</summary>
    public static void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc) =>
        s_sgemm(101, transposeA ? 112 : 111, transposeB ? 112 : 111, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);

    /// <summary>AVX-512 Foundation as the CPU reports it (CPUID), independent of DOTNET_EnableAVX512, plus the OS
    /// saving the opmask and ZMM state (XCR0 bits 5–7, seen through Avx512F support when the runtime allows it).</summary>
    private static bool CpuHasAvx512()
    {
        if (!System.Runtime.Intrinsics.X86.X86Base.IsSupported)
        {
            return false;
        }

        (_, int ebx, _, _) = System.Runtime.Intrinsics.X86.X86Base.CpuId(7, 0);
        bool cpu = (ebx & (1 << 16)) != 0;
        (_, _, int ecx1, _) = System.Runtime.Intrinsics.X86.X86Base.CpuId(1, 0);
        bool osxsave = (ecx1 & (1 << 27)) != 0;
        return cpu && osxsave && (System.Runtime.Intrinsics.X86.Avx512F.IsSupported || CpuInfoHasFlag("avx512f"));
    }

    private static bool CpuInfoHasFlag(string flag)
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ').Contains(flag));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsAvx512Core(string core) =>
        core.Contains("skylakex", StringComparison.OrdinalIgnoreCase)
        || core.Contains("cooperlake", StringComparison.OrdinalIgnoreCase)
        || core.Contains("sapphire", StringComparison.OrdinalIgnoreCase);

    private static bool TryLoad(out nint handle, out string core)
    {
        core = "unknown";
        foreach (string name in new[] { "libopenblas.so.0", "libopenblas.so", "libopenblas.dylib" })
        {
            if (NativeLibrary.TryLoad(name, out handle)
                && NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _)
                && NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out _))
            {
                if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out nint corename))
                {
                    core = Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)corename)()) ?? "unknown";
                }

                return true;
            }
        }

        handle = 0;
        return false;
    }

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int unsetenv(string name);

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int setenv(string name, string value, int overwrite);
}

/// <summary>
/// The float32 FMA peak of one thread, measured once per process: twelve independent chains of widest-vector fused
/// multiply-adds on registers for about 60 ms (best of three 20 ms windows). No memory is touched, so this is the
/// ceiling any GEMM can reach on this core at this moment.
/// </summary>
public static class FmaPeak
{
    private static readonly Lazy<double> s_peak = new(Measure);

    /// <summary>GFLOP/s of one thread (2 flops per lane per FMA).</summary>
    public static double GflopsPerThread => s_peak.Value;

    private static double Measure()
    {
        // The step floor's loop: twelve register chains of the widest vectors the hardware runs (with AVX-512 disabled,
        // DOTNET_EnableAVX512=0, Vector512 is emulated in software and would measure the emulation); it does the flops
        // asked for at any width.
        long round = 100_000L * 12 * 2 * Vector512<float>.Count;
        double best = 0;
        for (int window = 0; window < 3; window++)
        {
            long flops = 0;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            float sink = 0;
            while (watch.Elapsed.TotalMilliseconds < 20)
            {
                sink += StepArithmeticFloor.Run(round);
                flops += round;
            }

            best = Math.Max(best, flops / watch.Elapsed.TotalSeconds / 1e9);
            GC.KeepAlive(sink);
        }

        return best;
    }
}

/// <summary>The textbook triple loop, the floor every kernel must clear.</summary>
public static class NaiveGemm
{
    /// <summary>C = op(A)·op(B), i-j-p order, one float accumulator per element.</summary>
    public static void Compute(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    sum += (transposeA ? a[(p * lda) + i] : a[(i * lda) + p]) * (transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j]);
                }

                c[(i * ldc) + j] = sum;
            }
        }
    }
}

/// <summary>
/// The GEMM benchmarks' config: GFLOP/s and % of peak columns, and a filter that drops OpenBLAS cases when the library
/// is absent, and the slow baselines (naive, MathNet) above 512 or when more than one thread is measured.
/// </summary>
public sealed class GemmConfig : ManualConfig
{
    /// <summary>One core's FP32 FMA peak, GFLOP/s: register-only FMAs measured in this process (<see cref="FmaPeak"/>),
    /// so the % column refers to this host at this moment, not to a reference machine.</summary>
    public static double PeakPerCore => FmaPeak.GflopsPerThread;

    private static int s_announced;

    /// <summary>Adds the columns and the filter, and prints the OpenBLAS core and the FMA peak once per process.</summary>
    public GemmConfig()
    {
        if (Interlocked.Exchange(ref s_announced, 1) == 0)
        {
            Console.WriteLine($"// {OpenBlasNative.Describe()} FMA peak measured now: {FmaPeak.GflopsPerThread:F1} GFLOP/s per thread.");
        }

        // Min next to the mean: on a shared, noisy machine the fastest run is the steadiest figure.
        AddColumn(StatisticColumn.Min, new GflopsColumn(percentOfPeak: false), new GflopsColumn(percentOfPeak: true));
        AddFilter(new DisjunctionFilter(new SimpleFilter(Keep)));
    }

    internal static GemmShape ShapeOf(BenchmarkCase benchmarkCase) => GemmShape.Parse((string)benchmarkCase.Parameters["Shape"]);

    internal static int ThreadsOf(BenchmarkCase benchmarkCase)
    {
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        bool threaded = method is "GanCore" or "OpenBlas";
        return threaded && benchmarkCase.Parameters.Items.Any(p => p.Name == "Threads") ? (int)benchmarkCase.Parameters["Threads"] : 1;
    }

    private static bool Keep(BenchmarkCase benchmarkCase)
    {
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        if (method == "OpenBlas")
        {
            return OpenBlasNative.IsAvailable;
        }

        if (method is "Naive" or "MathNet")
        {
            GemmShape shape = ShapeOf(benchmarkCase);
            bool multi = benchmarkCase.Parameters.Items.Any(p => p.Name == "Threads") && (int)benchmarkCase.Parameters["Threads"] > 1;
            return !multi && (long)shape.M * shape.N * shape.K <= 512L * 512 * 512;
        }

        return true;
    }
}

/// <summary>GFLOP/s = 2·M·N·K / mean time, or that as a percentage of the peak of the threads used.</summary>
public sealed class GflopsColumn(bool percentOfPeak) : IColumn
{
    /// <inheritdoc/>
    public string Id => percentOfPeak ? "GemmPercentOfPeak" : "GemmGflops";

    /// <inheritdoc/>
    public string ColumnName => percentOfPeak ? "% of peak" : "GFLOP/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => percentOfPeak ? 1 : 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => percentOfPeak
        ? $"GFLOP/s as a percentage of the register-only FMA peak measured in this process ({GemmConfig.PeakPerCore:F1} GFLOP/s) per thread used"
        : "2·M·N·K / mean, in 10^9 floating-point operations per second";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is not > 0)
        {
            return "NA";
        }

        double gflops = GemmConfig.ShapeOf(benchmarkCase).Flops / meanNs.Value;
        return percentOfPeak
            ? (100 * gflops / (GemmConfig.PeakPerCore * GemmConfig.ThreadsOf(benchmarkCase))).ToString("F1", CultureInfo.InvariantCulture)
            : gflops.ToString("F1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
