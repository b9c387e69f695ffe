using System.Runtime.CompilerServices;

namespace GanCore.Kernels;

/// <summary>
/// How the hot methods (kernels, their loops, the layers' forward and backward passes) ask to be compiled, in one place.
/// </summary>
/// <remarks>
/// <para>Without a precompiled image, a method's first calls run tier-0 code, which keeps no vector in a register; a
/// kernel loop at tier 0 is many times slower. <see cref="MethodImplOptions.AggressiveOptimization"/> makes the JIT
/// optimize such a method on its first call instead.</para>
/// <para>A ReadyToRun build (the <c>GanCoreReadyToRun</c> build property, which defines <c>GANCORE_READY_TO_RUN</c>)
/// precompiles them instead, and crossgen2 skips every method marked <see cref="MethodImplOptions.AggressiveOptimization"/>,
/// so there <see cref="Hot"/> is no option at all: the methods start as precompiled, optimized code, and the runtime
/// recompiles the hot ones at tier 1 in the background. The image holds code for one instruction set, the build
/// host's (<c>GanCoreInstructionSet</c>: x86-64-v4 with AVX-512, x86-64-v3 with AVX2, else x86-64-v2); on a machine that lacks it those
/// methods are compiled by the JIT, from tier 0. docs/kernels.md, "Precompiled kernels", has the rules a method must
/// follow for crossgen2 to compile it.</para>
/// </remarks>
internal static class KernelCompilation
{
#if GANCORE_READY_TO_RUN
    /// <summary>No option: the method is precompiled (crossgen2 would skip an aggressively optimized one).</summary>
    public const MethodImplOptions Hot = 0;
#else
    /// <summary>Optimize on the first call, skipping tier 0.</summary>
    public const MethodImplOptions Hot = MethodImplOptions.AggressiveOptimization;
#endif

    /// <summary>
    /// The door to the kernels of a width narrower than the host's widest (<see cref="KernelDispatch.CapOnly128"/>,
    /// <see cref="KernelDispatch.CapOnlyScalar"/>), which only a test's <see cref="KernelDispatch.Cap"/> opens: never
    /// precompiled in any build, so crossgen2, which compiles the generic instantiations it finds called from the code it
    /// compiles, does not reach the ~3,000 instantiations behind it (an x86-64-v4 image 11.9 → 7.9 MB, x86-64-v3 9.0 → 4.4
    /// MB, 2026-12-06). A capped call compiles them with the JIT, as the CI legs that switch instruction sets off do.
    /// The same door keeps out a route that only a test forces on the CPUs an image is for: the splatted-A kernels where
    /// the CPU loads broadcasts (<see cref="GemmEngine.LoadsBroadcasts"/>; the Arm64 image 10.1 → 7.4 MB).
    /// </summary>
    public const MethodImplOptions UnderCap = MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization;
}
