using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanCore.Kernels;

/// <summary>
/// A kernel written once for every vector width: <see cref="Run{TS, TV}"/> is specialized by the JIT for each
/// <see cref="ISimd{TV}"/> and called by <see cref="KernelDispatch.Run{TK}(ref TK)"/> at the width this thread uses.
/// </summary>
internal interface IWidthKernel
{
    /// <summary>Does the whole job at the width <typeparamref name="TS"/>.</summary>
    void Run<TS, TV>()
        where TS : ISimd<TV>
        where TV : struct;
}

/// <summary>
/// The body of an element-wise kernel over up to four parallel streams (inputs and outputs of equal length): what
/// happens to one vector of each stream. <see cref="VectorLoop"/> supplies the loop and the tail.
/// </summary>
internal interface IStreamKernel
{
    /// <summary>Processes one vector at <paramref name="s0"/>..<paramref name="s3"/> (the streams the kernel uses;
    /// the others are null) and returns the vector it stored to its main output (an optimizer's new parameter values),
    /// for <see cref="VectorLoop.RunFinite{TK}"/>. <typeparamref name="TC"/> is <see cref="FullColumns"/> for a whole
    /// vector and <see cref="MaskedColumns"/>, with <paramref name="mask"/>, for the last partial one: load and store
    /// through it.</summary>
    unsafe TV Apply<TS, TV, TC>(float* s0, float* s1, float* s2, float* s3, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess;
}

/// <summary>
/// The one loop every element-wise and optimizer kernel runs, and its one tail policy: whole vectors of the width
/// <see cref="KernelDispatch.Width"/> picks, then the last n mod Count elements as one masked vector of the same width
/// (lanes past the end are neither read nor written), exactly as the GEMM kernels store a row's last columns. Every
/// element therefore takes the same vector code wherever it sits in the span, so its result does not depend on its
/// position (or on being computed by a GEMM epilogue instead). Only the one-lane width has no tail.
/// </summary>
internal static unsafe class VectorLoop
{
    /// <summary>Runs <paramref name="kernel"/> over elements [0, <paramref name="length"/>) of the streams.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TK>(TK kernel, int length, float* s0, float* s1, float* s2, float* s3)
        where TK : struct, IStreamKernel
    {
        var loop = new Loop<TK, Unchecked>(kernel, length, s0, s1, s2, s3);
        KernelDispatch.Run(ref loop);
    }

    /// <summary><see cref="Run{TK}(TK, int, float*, float*, float*, float*)"/> at <paramref name="width"/> instead of this
    /// thread's width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TK>(TK kernel, int length, float* s0, float* s1, float* s2, float* s3, VectorWidth width)
        where TK : struct, IStreamKernel
    {
        var loop = new Loop<TK, Unchecked>(kernel, length, s0, s1, s2, s3);
        KernelDispatch.Run(ref loop, width);
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> like <see cref="Run{TK}(TK, int, float*, float*, float*, float*)"/> and returns true when every vector it wrote to its
    /// main output was finite: a sum of x·0 rides along in one register (x·0 is ±0 for finite x and NaN for NaN or ±∞),
    /// so a caller that would otherwise re-read the values to check them can skip that pass. False can also mean a lane
    /// past the end of the span (computed from zeros, never stored) was not finite: a caller treats false as "not
    /// verified" and checks the span itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool RunFinite<TK>(TK kernel, int length, float* s0, float* s1, float* s2, float* s3)
        where TK : struct, IStreamKernel
    {
        var loop = new Loop<TK, Checked>(kernel, length, s0, s1, s2, s3);
        KernelDispatch.Run(ref loop);
        return loop.Finite;
    }

    /// <summary>Whether a <see cref="Loop{TK, TCheck}"/> sums x·0 of what the kernel writes (a constant per
    /// instantiation, so the unchecked loop carries no trace of it).</summary>
    private interface IFiniteCheck
    {
        static abstract bool Enabled { get; }
    }

    private readonly struct Unchecked : IFiniteCheck
    {
        public static bool Enabled => false;
    }

    private readonly struct Checked : IFiniteCheck
    {
        public static bool Enabled => true;
    }

    private struct Loop<TK, TCheck>(TK kernel, int length, float* s0, float* s1, float* s2, float* s3) : IWidthKernel
        where TK : struct, IStreamKernel
        where TCheck : struct, IFiniteCheck
    {
        public bool Finite { get; private set; }

        [MethodImpl(KernelCompilation.Hot)]
        public void Run<TS, TV>()
                    where TS : ISimd<TV>
                    where TV : struct
        {
            TK k = kernel;
            float* a = s0;
            float* b = s1;
            float* c = s2;
            float* d = s3;
            int n = length;
            int count = TS.Count;
            TV zero = TS.Broadcast(0f);
            TV check = zero;
            int i = 0;
            for (; i + count <= n; i += count)
            {
                TV written = k.Apply<TS, TV, FullColumns>(a + i, b + i, c + i, d + i, default);
                if (TCheck.Enabled)
                {
                    check = TS.Add(check, TS.Multiply(written, zero));
                }
            }

            if (i < n)
            {
                TV written = k.Apply<TS, TV, MaskedColumns>(a + i, b + i, c + i, d + i, TS.CreateMask(n - i));
                if (TCheck.Enabled)
                {
                    check = TS.Add(check, TS.Multiply(written, zero));
                }
            }

            Finite = TCheck.Enabled && TS.Sum(check) == 0f;
        }
    }
}

/// <summary>The one place that turns <see cref="KernelDispatch.Width"/> into a vector type.</summary>
internal static partial class KernelDispatch
{
    /// <summary>Runs <paramref name="kernel"/> at the width this thread uses (<see cref="Width"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TK>(ref TK kernel)
        where TK : struct, IWidthKernel => Run(ref kernel, Width);

    /// <summary>Runs <paramref name="kernel"/> at <paramref name="width"/>, which the hardware must accelerate (a GEMM's
    /// width, which tests choose apart from this thread's).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Run<TK>(ref TK kernel, VectorWidth width)
        where TK : struct, IWidthKernel
    {
        switch (width)
        {
            case VectorWidth.Bits512 when KernelDispatch.Runs512:
                kernel.Run<Simd512, Vec512>();
                break;
            case VectorWidth.Bits256 when KernelDispatch.Runs256:
                kernel.Run<Simd256, Vec256>();
                break;
            case VectorWidth.Bits128 when KernelDispatch.Runs128:
                if (KernelDispatch.CapOnly128)
                {
                    RunUnderCap<TK, Simd128, Vec128>(ref kernel);
                }
                else
                {
                    kernel.Run<Simd128, Vec128>();
                }

                break;
            case VectorWidth.Scalar:
                if (KernelDispatch.CapOnlyScalar)
                {
                    RunUnderCap<TK, SimdScalar, float>(ref kernel);
                }
                else
                {
                    kernel.Run<SimdScalar, float>();
                }

                break;
            default:
                throw KernelDispatch.NotAccelerated(width);
        }
    }

    /// <summary><typeparamref name="TK"/> at a width narrower than the host's (<see cref="KernelCompilation.UnderCap"/>).</summary>
    [MethodImpl(KernelCompilation.UnderCap)]
    private static void RunUnderCap<TK, TS, TV>(ref TK kernel)
        where TK : struct, IWidthKernel
        where TS : ISimd<TV>
        where TV : struct =>
        kernel.Run<TS, TV>();
}
