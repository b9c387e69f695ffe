using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanCore.Benchmarks;

/// <summary>
/// The arithmetic floor of one seed GAN step: its GEMM operations done as register-only Vector512 fused multiply-adds.
/// Shared by <see cref="GanStepBenchmarks"/>, <see cref="GanStepScaleBenchmarks"/> (any operation count), tools/StepWarmup
/// and benchmarks/TorchSharpComparison (which link this file), so all of them divide by the same loop.
/// </summary>
public static class StepArithmeticFloor
{
    /// <summary>The GEMM operations of one step: G forward 327,680; D forward ×2 524,288; D backward (parameters) ×2
    /// 557,056; D backward (input only) 262,144; G backward 573,440.</summary>
    public const int FlopsPerStep = 2_244_608;

    /// <summary>
    /// <see cref="FlopsPerStep"/> operations as Vector512 fused multiply-adds on 12 independent register accumulators
    /// (narrower vectors where Vector512 is not accelerated): the fastest this core can run a step's arithmetic now.
    /// </summary>
    /// <returns>A sum of the accumulators, so the loop cannot be removed.</returns>
    public static float Run() => Run(FlopsPerStep);

    /// <summary>
    /// <paramref name="flops"/> operations (rounded down to whole rounds of 12 vector FMAs) as in <see cref="Run()"/>.
    /// </summary>
    /// <param name="flops">The floating-point operations to do; an FMA counts as two per lane.</param>
    /// <returns>A sum of the accumulators, so the loop cannot be removed.</returns>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Run(long flops) => Vector512.IsHardwareAccelerated ? Run512(flops) : Run256(flops);

    // With AVX-512 disabled (DOTNET_EnableAVX512=0) Vector512 is emulated, and a loop of it measured 23 or 45 µs a step
    // from run to run on Zen 4: the floor is the widest vectors the hardware runs.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run512(long flops)
    {
        var a0 = Vector512.Create(1f);
        var a1 = a0;
        var a2 = a0;
        var a3 = a0;
        var a4 = a0;
        var a5 = a0;
        var a6 = a0;
        var a7 = a0;
        var a8 = a0;
        var a9 = a0;
        var a10 = a0;
        var a11 = a0;
        var m = Vector512.Create(0.9999999f);
        var c = Vector512.Create(1e-7f);
        long iterations = flops / (12 * 2 * Vector512<float>.Count);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run256(long flops)
    {
        var a0 = Vector256.Create(1f);
        var a1 = a0;
        var a2 = a0;
        var a3 = a0;
        var a4 = a0;
        var a5 = a0;
        var a6 = a0;
        var a7 = a0;
        var a8 = a0;
        var a9 = a0;
        var a10 = a0;
        var a11 = a0;
        var m = Vector256.Create(0.9999999f);
        var c = Vector256.Create(1e-7f);
        long iterations = flops / (12 * 2 * Vector256<float>.Count);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c);
            a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c);
            a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c);
            a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c);
            a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
