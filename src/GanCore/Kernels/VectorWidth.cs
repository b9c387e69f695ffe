using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// Picks the widest accelerated vector width, optionally capped for the current thread so tests can
/// compare every width in one process. The hardware side is fixed when the JIT runs; the CI legs with
/// <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c>, <c>DOTNET_EnableHWIntrinsic=0</c> and
/// <c>DOTNET_PreferredVectorBitWidth=256</c> prove it.
/// </summary>
internal static partial class KernelDispatch
{
    /// <summary>The widest width the hardware accelerates in this process, as the JIT answers it (<see cref="JitWidth"/>).</summary>
    public static readonly VectorWidth HardwareWidth = JitWidth();

    [ThreadStatic]
    private static VectorWidth? t_cap;

    /// <summary>
    /// Whether the 512-bit kernels may run in this process: the guard of every dispatch on a <see cref="VectorWidth"/>.
    /// Its first test is a constant to the compiler, so an image for a target without the width (Arm64, x86-64-v3)
    /// leaves out the branch and every kernel it instantiates; the second makes a precompiled dispatch agree with the
    /// JIT's where the image was compiled with the width accelerated and this process does not accelerate it
    /// (<see cref="JitWidth"/>): there the branch refuses the width, as the jitted dispatch does, and never runs it for a
    /// caller that named it. (Jitted, the second test is always true when the first is.)
    /// </summary>
    public static bool Runs512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated && HardwareWidth == VectorWidth.Bits512;
    }

    /// <summary><see cref="Runs512"/> for the 256-bit kernels.</summary>
    public static bool Runs256
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.IsHardwareAccelerated && HardwareWidth >= VectorWidth.Bits256;
    }

    /// <summary><see cref="Runs512"/> for the 128-bit kernels.</summary>
    public static bool Runs128
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.IsHardwareAccelerated && HardwareWidth >= VectorWidth.Bits128;
    }

    /// <summary>
    /// The widest accelerated width as the JIT sees it, in a method that is never precompiled (crossgen2 leaves an
    /// aggressively optimized method to the JIT, in every build). A precompiled image for x86-64-v4 was compiled with
    /// Vector512 accelerated, and the runtime still runs that image where the JIT says it is not: on the Intel cores
    /// whose clock drops under 512-bit code (Skylake-SP, Cascade Lake, Cooper Lake, Cannon Lake) the runtime prefers
    /// 256-bit vectors and <c>Vector512.IsHardwareAccelerated</c> is false in jitted code, as it is anywhere under
    /// <c>DOTNET_PreferredVectorBitWidth=256</c>. Worked out in the image, this width was 512 there while the jitted
    /// dispatches refused 512, and training threw at the first dispatch the JIT recompiled at tier 1. Now the width is
    /// the JIT's, and every dispatch guards a width with <see cref="Runs512"/> (and the others), which agree with it in
    /// precompiled code too: such a host runs the 256-bit kernels, as an AVX2 host does, with the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static VectorWidth JitWidth() =>
        Vector512.IsHardwareAccelerated ? VectorWidth.Bits512 :
        Vector256.IsHardwareAccelerated ? VectorWidth.Bits256 :
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
