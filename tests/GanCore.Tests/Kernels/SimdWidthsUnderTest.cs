using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary>A check written once over <c>ISimd&lt;TV&gt;</c>, run at one width.</summary>
internal interface ISimdCheck
{
    void Run<TS, TV>(int seed)
        where TS : ISimd<TV>
        where TV : struct;
}

/// <summary>Runs an <see cref="ISimdCheck"/> at every vector width this process accelerates, and at the scalar width;
/// wherever the CPU has AVX, also as <see cref="SimdAvx"/> (the packed GEMM's 256 bits on a CPU without AVX2, whose AVX
/// instructions run on any CPU with AVX, so every x64 leg checks them). Each CI leg caps the hardware (the scalar leg
/// turns every vector width off), so each width is checked on the legs that run it. The seeds are 1 (512 bits) to 4
/// (scalar), and 5 (SimdAvx).</summary>
internal static class SimdWidthsUnderTest
{
    public static void RunAll<TCheck>(TCheck check)
        where TCheck : ISimdCheck
    {
        if (KernelDispatch.Runs512)
        {
            check.Run<Simd512, Vec512>(1);
        }

        if (KernelDispatch.Runs256)
        {
            check.Run<Simd256, Vec256>(2);
        }

        if (KernelDispatch.Runs128)
        {
            check.Run<Simd128, Vec128>(3);
        }

        check.Run<SimdScalar, float>(4);

        if (Avx.IsSupported)
        {
            check.Run<SimdAvx, Vec256>(5);
        }
    }
}
