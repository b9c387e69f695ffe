using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>The SIMD register widths a kernel can run at.</summary>
internal enum VectorWidth
{
    /// <summary>One lane at a time.</summary>
    Scalar = 0,

    /// <summary>Vector128 (SSE / NEON).</summary>
    Bits128 = 128,

    /// <summary>Vector256 (AVX2).</summary>
    Bits256 = 256,

    /// <summary>Vector512 (AVX-512).</summary>
    Bits512 = 512,
}

/// <summary>What a <see cref="VectorWidth"/> holds.</summary>
internal static class VectorWidths
{
    /// <summary>Floats per vector at <paramref name="width"/>: 16, 8, 4, or 1 for <see cref="VectorWidth.Scalar"/>.</summary>
    public static int Floats(this VectorWidth width) => width == VectorWidth.Scalar ? 1 : (int)width / 32;
}

/// <summary>
/// Picks the widest vector width the processor's instruction sets support, optionally capped for the current thread so
/// tests can compare every width in one process. The hardware side is fixed when the JIT runs; the CI legs with
/// <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c>, <c>DOTNET_EnableHWIntrinsic=0</c> and
/// <c>DOTNET_PreferredVectorBitWidth=256</c> prove it.
/// </summary>
internal static partial class KernelDispatch
{
    /// <summary>The widest width this process's instruction sets support (<see cref="IsaWidth"/>).</summary>
    public static readonly VectorWidth HardwareWidth = IsaWidth();

    [ThreadStatic]
    private static VectorWidth? t_cap;

    /// <summary>
    /// Whether the 512-bit kernels may run in this process: the guard of every dispatch on a <see cref="VectorWidth"/>. A
    /// constant to the compiler, so an image for a target without the width (Arm64, x86-64-v3) leaves out the branch and
    /// every kernel it instantiates, and the same answer as <see cref="HardwareWidth"/> in precompiled and jitted code
    /// alike (both ask the instruction sets).
    /// </summary>
    public static bool Runs512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx512Supported;
    }

    /// <summary><see cref="Runs512"/> for the 256-bit kernels (AVX2; a CPU with AVX alone runs <see cref="SimdAvx"/>
    /// within the 128-bit width's dispatch).</summary>
    public static bool Runs256
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx2.IsSupported;
    }

    /// <summary><see cref="Runs512"/> for the 128-bit kernels.</summary>
    public static bool Runs128
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.IsHardwareAccelerated;
    }

    /// <summary>
    /// Whether the 128-bit kernels are narrower than this process's widest (AVX2 is there), so that only a
    /// <see cref="Cap"/> (a test comparing widths) reaches them. A constant to the compiler like <see cref="Runs512"/>:
    /// each dispatch then calls them through a method crossgen2 leaves out (<see cref="KernelCompilation.UnderCap"/>), so
    /// the x86-64-v3 and -v4 images do not carry them, and a capped call compiles them with the JIT. On a CPU whose widest
    /// they are (AVX without AVX2, SSE only, Arm64) they are called directly and precompiled.
    /// </summary>
    public static bool CapOnly128
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Runs256;
    }

    /// <summary><see cref="CapOnly128"/> for the scalar kernels: only a cap reaches them where any vector width runs.</summary>
    public static bool CapOnlyScalar
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Runs128;
    }

    /// <summary>AVX-512 as the JIT uses it for <see cref="Vector512{T}"/>: F, BW, CD, DQ and VL together.</summary>
    private static bool Avx512Supported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx512F.IsSupported && Avx512F.VL.IsSupported && Avx512BW.IsSupported && Avx512CD.IsSupported && Avx512DQ.IsSupported;
    }

    /// <summary>
    /// The widest width whose instructions this process has, asked of the instruction sets and not of
    /// <c>Vector512.IsHardwareAccelerated</c>, which answers the runtime's preference: on the Intel cores whose clock
    /// drops under 512-bit code (Skylake-SP, Cascade Lake, Cooper Lake, Cannon Lake) .NET prefers 256-bit vectors and
    /// reports Vector512 as not accelerated in jitted code, as it does anywhere under
    /// <c>DOTNET_PreferredVectorBitWidth=256</c>, though <c>Vector512</c> operations still compile to AVX-512
    /// instructions there. GanCore's kernels take AVX-512 wherever the CPU has it, as OpenBLAS and MKL do on those cores,
    /// so such a host computes what every other AVX-512 host computes, bit for bit. An instruction set is also what a
    /// precompiled image and the JIT agree on: the x86-64-v4 image was compiled with Vector512 accelerated and the
    /// runtime runs it under the preference all the same, while an image's answer to <c>IsSupported</c> is checked
    /// against the CPU before its code is used. (The sixty-third session asked the JIT for its preference in a method
    /// crossgen2 left out, and step 1 compiled it in every process.)
    /// </summary>
    private static VectorWidth IsaWidth() =>
        Avx512Supported ? VectorWidth.Bits512 :
        Avx2.IsSupported ? VectorWidth.Bits256 :
        Vector128.IsHardwareAccelerated ? VectorWidth.Bits128 :
        VectorWidth.Scalar;

    /// <summary>Set, never cleared, by the first <see cref="Cap"/> in the process: until then no thread can hold a cap, and
    /// <see cref="Width"/> skips the thread-static read (a call into the runtime's TLS lookup on every kernel call).</summary>
    private static volatile bool s_capped;

    /// <summary>The width kernels called from this thread use: the hardware's widest, or less under a cap.
    /// Multi-threaded kernels read it once on the calling thread and hand it to their workers.</summary>
    public static VectorWidth Width
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_capped ? CappedWidth() : HardwareWidth;
    }

    /// <summary>The thread-static part of <see cref="Width"/>, out of line so that the common test (no cap in the
    /// process) inlines into every kernel entry.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static VectorWidth CappedWidth()
    {
        VectorWidth? cap = t_cap;
        return cap is { } c && c < HardwareWidth ? c : HardwareWidth;
    }

    /// <summary>The error of a kernel dispatch handed a width the hardware does not accelerate, which <see cref="Width"/>
    /// never returns: each dispatch names a width only when this process runs it (<see cref="Runs512"/>; a precompiled
    /// image leaves out the widths its target lacks), and such a width would otherwise fall through to nothing.</summary>
    public static InvalidOperationException NotAccelerated(VectorWidth width) =>
        new($"Kernel dispatch: the vector width {width} is not hardware-accelerated in this process (widest: {HardwareWidth}).");

    /// <summary>Caps the width for kernels called from this thread until the returned scope is disposed.</summary>
    public static WidthScope Cap(VectorWidth width)
    {
        VectorWidth? previous = t_cap;
        t_cap = width;
        s_capped = true;
        return new WidthScope(previous);
    }

    /// <summary>Restores the previous cap when disposed.</summary>
    internal readonly struct WidthScope : IDisposable
    {
        private readonly VectorWidth? _previous;

        public WidthScope(VectorWidth? previous) => _previous = previous;

        public void Dispose() => t_cap = _previous;
    }
}
