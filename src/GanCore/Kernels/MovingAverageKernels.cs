using System.Runtime.CompilerServices;

namespace GanCore.Kernels;

/// <summary>
/// The exponential moving average of a parameter span, a ← β·a + (1 − β)·θ, at every vector width (through
/// <see cref="VectorLoop"/>), and its plain reference loop. The generator EMA of a GAN runs it once per parameter
/// tensor after every generator update.
/// </summary>
/// <remarks>
/// The complement 1 − β is formed in float: for β in [0.5, 1] the subtraction is exact (Sterbenz), so the two
/// weights β and 1 − β sum to exactly 1. Stored averages below the normal float range become +0, the subnormal
/// policy of <see cref="OptimizerKernels"/>: the average of a weight that sits at 0 decays geometrically and would
/// otherwise settle on the smallest subnormal (β × 1 ulp rounds back to 1 ulp) and slow every later step.
/// </remarks>
internal static unsafe class MovingAverageKernels
{
    /// <summary>
    /// a[i] ← β·a[i] + (1 − β)·θ[i] for every i, with a subnormal result flushed to +0. β = 0 copies θ exactly;
    /// β = 1 leaves a unchanged. <paramref name="average"/> and <paramref name="value"/> must not overlap unless they
    /// are the same span.
    /// </summary>
    /// <param name="average">a, updated in place.</param>
    /// <param name="value">θ, the current values.</param>
    /// <param name="decay">β, in [0, 1].</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Update(Span<float> average, ReadOnlySpan<float> value, float decay)
    {
        Elementwise.CheckSameLength(average.Length, value.Length, nameof(value));
        fixed (float* a = average)
        fixed (float* t = value)
        {
            VectorLoop.Run(new UpdateKernel(decay), average.Length, a, t, null, null);
        }
    }

    /// <summary>
    /// The plain loop <see cref="Update"/> is held to: a ← β·a + (1 − β)·θ in double, rounded once to float and
    /// flushed like the kernel's result (<see cref="ElementwiseReference.FlushSubnormal"/>).
    /// </summary>
    /// <param name="average">a, updated in place.</param>
    /// <param name="value">θ.</param>
    /// <param name="decay">β.</param>
    public static void Reference(Span<float> average, ReadOnlySpan<float> value, float decay)
    {
        double complement = 1.0 - decay;
        for (int i = 0; i < average.Length; i++)
        {
            average[i] = ElementwiseReference.FlushSubnormal((float)((decay * (double)average[i]) + (complement * value[i])));
        }
    }

    /// <summary>The moving average over the streams a (read and written) and θ (read).</summary>
    private readonly struct UpdateKernel(float decay) : IStreamKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TS, TV, TC>(float* a, float* t, float* unused2, float* unused3, TV mask)
            where TS : ISimd<TV>
            where TV : struct
            where TC : IColumnAccess
        {
            TV weighted = TS.Multiply(TS.Broadcast(1f - decay), TC.Load<TS, TV>(t, mask));                 // (1 − β)·θ
            TV ai = TS.MultiplyAdd(TS.Broadcast(decay), TC.Load<TS, TV>(a, mask), weighted);               // β·a + (1 − β)·θ
            TV written = TS.FlushSubnormal(ai);
            TC.Store<TS, TV>(a, written, mask);
            return written;
        }
    }
}
