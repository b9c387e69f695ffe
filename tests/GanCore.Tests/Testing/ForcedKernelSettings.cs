using System.Runtime.CompilerServices;
using GanCore.Kernels;

namespace GanCore.Tests.Testing;

/// <summary>
/// Turns on, before any test runs, the per-thread kernel settings that tests force (<see cref="KernelDispatch.Cap"/>,
/// <c>GemmEngine.ForcePath</c>, <c>GemmEngine.ForceBlocking</c>).
/// </summary>
/// <remarks>
/// The library reads those thread-static settings only after the first of them is forced in the process; until then
/// every kernel call takes the defaults without touching thread-static memory. Tests force them at random moments on
/// other threads, and a thread's first read of a class's thread statics allocates their storage, so a steady-state
/// allocation test could see that one-time allocation (32–129 B per step) inside its window when a test on another
/// thread happened to flip the switch mid-measurement. Flipping it here, once, before any test, makes every test thread
/// read the settings from its first kernel call (in its warm-up), so the allocation tests measure only the step.
/// </remarks>
internal static class ForcedKernelSettings
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: it must run before any test thread exists.")]
    internal static void TurnOn()
    {
        using (KernelDispatch.Cap(KernelDispatch.HardwareWidth))
        using (GemmEngine.ForcePath(GemmPath.Auto))
        using (GemmEngine.ForceBlocking(GemmEngine.BlockingFor(KernelDispatch.HardwareWidth)))
        {
        }
    }
}
