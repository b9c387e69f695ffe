using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;

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

    /// <summary>The GEMM operations of one step of the seed GAN's nets <paramref name="hidden"/> units wide at batch
    /// <paramref name="batch"/>: G forward 2·B·20h, D forward ×2 2·2·B·16h, D backward (parameters) ×2 2·2·B·17h, D
    /// backward to the input 2·B·16h, G backward 2·B·35h; 2·B·h·137 in all (<see cref="FlopsPerStep"/> at 128 and 64).</summary>
    public static long FlopsFor(int hidden, int batch) => 2L * batch * hidden * 137;

    /// <summary>
    /// <see cref="FlopsPerStep"/> operations as fused multiply-adds on 12 independent register accumulators, at the width
    /// GanCore's kernels run at (<see cref="KernelDispatch.HardwareWidth"/>: 512 bits with AVX-512 whatever the runtime's
    /// preferred width, 256 with AVX2, 128 otherwise; on a CPU with AVX but not AVX2,
    /// 256-bit vectors in AVX's own multiply and add, as GanCore's register-tiled GEMMs run there): the fastest this core
    /// can run a step's arithmetic now.
    /// </summary>
    /// <returns>A sum of the accumulators, so the loop cannot be removed.</returns>
    public static float Run() => Run(FlopsPerStep);

    /// <summary>
    /// <paramref name="flops"/> operations (rounded down to whole rounds of 12 vector FMAs) as in <see cref="Run()"/>.
    /// </summary>
    /// <param name="flops">The floating-point operations to do; an FMA counts as two per lane.</param>
    /// <returns>A sum of the accumulators, so the loop cannot be removed.</returns>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Run(long flops) =>
        KernelDispatch.HardwareWidth switch
        {
            VectorWidth.Bits512 => Chains<Lanes512>(flops),
            VectorWidth.Bits256 => Chains<Lanes256>(flops),
            _ => Avx.IsSupported ? Chains<LanesAvx>(flops) : Chains<Lanes128>(flops),
        };

    // The widest vectors the hardware runs: with AVX-512 disabled (DOTNET_EnableAVX512=0) Vector512 is emulated, and a
    // loop of it measured 23 or 45 µs a step from run to run on Zen 4; on Arm64 only Vector128 is hardware.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains<TV>(long flops)
        where TV : struct, IFmaLanes<TV>
    {
        TV a0 = TV.Create(1f);
        TV a1 = a0;
        TV a2 = a0;
        TV a3 = a0;
        TV a4 = a0;
        TV a5 = a0;
        TV a6 = a0;
        TV a7 = a0;
        TV a8 = a0;
        TV a9 = a0;
        TV a10 = a0;
        TV a11 = a0;
        TV m = TV.Create(0.9999999f);
        TV c = TV.Create(1e-7f);
        long iterations = flops / (12 * 2 * TV.Count);
        for (long i = 0; i < iterations; i++)
        {
            a0 = TV.Fma(a0, m, c);
            a1 = TV.Fma(a1, m, c);
            a2 = TV.Fma(a2, m, c);
            a3 = TV.Fma(a3, m, c);
            a4 = TV.Fma(a4, m, c);
            a5 = TV.Fma(a5, m, c);
            a6 = TV.Fma(a6, m, c);
            a7 = TV.Fma(a7, m, c);
            a8 = TV.Fma(a8, m, c);
            a9 = TV.Fma(a9, m, c);
            a10 = TV.Fma(a10, m, c);
            a11 = TV.Fma(a11, m, c);
        }

        return TV.Sum(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
    }

    /// <summary>One vector type's operations for <see cref="Chains"/> (the JIT specializes the loop per struct). The
    /// multiply-add is a fused one wherever the hardware has FMA, and a multiply and an add where it has not (the
    /// capped test legs), rather than the software emulation of a fused one.</summary>
    private interface IFmaLanes<TSelf>
        where TSelf : struct, IFmaLanes<TSelf>
    {
        static abstract int Count { get; }

        static abstract TSelf Create(float value);

        static abstract TSelf Fma(TSelf a, TSelf m, TSelf c);

        static abstract float Sum(TSelf a0, TSelf a1, TSelf a2, TSelf a3, TSelf a4, TSelf a5, TSelf a6, TSelf a7, TSelf a8, TSelf a9, TSelf a10, TSelf a11);
    }

    private readonly struct Lanes512(Vector512<float> v) : IFmaLanes<Lanes512>
    {
        private readonly Vector512<float> _v = v;

        public static int Count => Vector512<float>.Count;

        public static Lanes512 Create(float value) => new(Vector512.Create(value));

        public static Lanes512 Fma(Lanes512 a, Lanes512 m, Lanes512 c) => new(Vector512.MultiplyAddEstimate(a._v, m._v, c._v));

        public static float Sum(Lanes512 a0, Lanes512 a1, Lanes512 a2, Lanes512 a3, Lanes512 a4, Lanes512 a5, Lanes512 a6, Lanes512 a7, Lanes512 a8, Lanes512 a9, Lanes512 a10, Lanes512 a11) =>
            Vector512.Sum(a0._v + a1._v + a2._v + a3._v + a4._v + a5._v + a6._v + a7._v + a8._v + a9._v + a10._v + a11._v);
    }

    private readonly struct Lanes256(Vector256<float> v) : IFmaLanes<Lanes256>
    {
        private readonly Vector256<float> _v = v;

        public static int Count => Vector256<float>.Count;

        public static Lanes256 Create(float value) => new(Vector256.Create(value));

        public static Lanes256 Fma(Lanes256 a, Lanes256 m, Lanes256 c) => new(Vector256.MultiplyAddEstimate(a._v, m._v, c._v));

        public static float Sum(Lanes256 a0, Lanes256 a1, Lanes256 a2, Lanes256 a3, Lanes256 a4, Lanes256 a5, Lanes256 a6, Lanes256 a7, Lanes256 a8, Lanes256 a9, Lanes256 a10, Lanes256 a11) =>
            Vector256.Sum(a0._v + a1._v + a2._v + a3._v + a4._v + a5._v + a6._v + a7._v + a8._v + a9._v + a10._v + a11._v);
    }

    /// <summary>256 bits without AVX2: the runtime splits Vector256's operators into 128-bit halves there, so the
    /// multiply and the add are AVX's own instructions (no FMA on such CPUs).</summary>
    private readonly struct LanesAvx(Vector256<float> v) : IFmaLanes<LanesAvx>
    {
        private readonly Vector256<float> _v = v;

        public static int Count => Vector256<float>.Count;

        public static LanesAvx Create(float value) => new(Vector256.Create(value));

        public static LanesAvx Fma(LanesAvx a, LanesAvx m, LanesAvx c) => new(Avx.Add(Avx.Multiply(a._v, m._v), c._v));

        public static float Sum(LanesAvx a0, LanesAvx a1, LanesAvx a2, LanesAvx a3, LanesAvx a4, LanesAvx a5, LanesAvx a6, LanesAvx a7, LanesAvx a8, LanesAvx a9, LanesAvx a10, LanesAvx a11) =>
            Vector256.Sum(a0._v + a1._v + a2._v + a3._v + a4._v + a5._v + a6._v + a7._v + a8._v + a9._v + a10._v + a11._v);
    }

    private readonly struct Lanes128(Vector128<float> v) : IFmaLanes<Lanes128>
    {
        private readonly Vector128<float> _v = v;

        public static int Count => Vector128<float>.Count;

        public static Lanes128 Create(float value) => new(Vector128.Create(value));

        public static Lanes128 Fma(Lanes128 a, Lanes128 m, Lanes128 c) => new(Vector128.MultiplyAddEstimate(a._v, m._v, c._v));

        public static float Sum(Lanes128 a0, Lanes128 a1, Lanes128 a2, Lanes128 a3, Lanes128 a4, Lanes128 a5, Lanes128 a6, Lanes128 a7, Lanes128 a8, Lanes128 a9, Lanes128 a10, Lanes128 a11) =>
            Vector128.Sum(a0._v + a1._v + a2._v + a3._v + a4._v + a5._v + a6._v + a7._v + a8._v + a9._v + a10._v + a11._v);
    }
}
