using System.Runtime.InteropServices;

namespace GanCore.Tests.Testing;

/// <summary>What the tests need to know about the platform beyond the CPU.</summary>
internal static class Platform
{
    /// <summary>x86-64 Linux with glibc: the C library whose <c>expf</c>, <c>logf</c> and <c>log</c> the kernels
    /// <c>LogisticKernel</c> and <c>VectorLog</c> follow. Elsewhere only their batch methods, which check themselves
    /// first, are compared with the scalar functions.</summary>
    public static bool GlibcX64 => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
        && !RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);
}
