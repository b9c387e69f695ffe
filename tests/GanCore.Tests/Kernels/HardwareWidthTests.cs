using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>
/// Proves which vector width the kernels dispatch to. The expected width is worked out independently of the
/// runtime's <c>IsHardwareAccelerated</c> flags: from the processor's own CPUID bits and the runtime switches
/// (<c>DOTNET_EnableHWIntrinsic</c>, <c>DOTNET_EnableAVX2</c>, <c>DOTNET_EnableAVX512</c>, ...) that CI's width legs
/// set. So the test needs no environment variable of its own, and a leg that silently reruns the wide path fails. The
/// runtime's preferred width (<c>DOTNET_PreferredVectorBitWidth</c>, and its 256-bit default on the Intel cores that
/// slow down under 512-bit code) narrows nothing: CI's <c>leg-prefer-256</c> runs this test under the knob.
/// </summary>
public class HardwareWidthTests
{
    [Fact]
    public void Dispatch_matches_the_processor_and_the_runtime_switches()
    {
        (VectorWidth expected, string why) = ExpectedWidth();

        KernelDispatch.HardwareWidth.Should().Be(expected, "the processor and switches give {0} ({1})", expected, why);
        KernelDispatch.Width.Should().Be(expected, "with no cap the dispatched width is the hardware width");
    }

    [OptInFact("GANCORE_EXPECT_WIDTH", null)]
    public void Width_named_by_the_CI_leg_is_the_dispatched_width()
    {
        int bits = int.Parse(Environment.GetEnvironmentVariable("GANCORE_EXPECT_WIDTH")!, CultureInfo.InvariantCulture);
        ((int)KernelDispatch.HardwareWidth).Should().Be(bits);
    }

    [Fact]
    public void A_dispatch_runs_every_accelerated_width_and_refuses_the_others()
    {
        // C = A·B + bias for 2×3 · 3×2; each accelerated width must give it, and a wider one must be an error, not a
        // silent scalar run (the dispatches name a width only when it is accelerated; CI's width legs reach the refusal).
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [1, -1, 2, 0, -3, 1];
        float[] bias = [0.5f, -0.5f];
        float[] expected = [1 + 4 - 9 + 0.5f, -1 + 0 + 3 - 0.5f, 4 + 10 - 18 + 0.5f, -4 + 0 + 6 - 0.5f];
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.Bits128, VectorWidth.Bits256, VectorWidth.Bits512 })
        {
            float[] c = new float[4];
            Action run = () => GemmEngine.RunBiasActivation(2, 2, 3, a, 3, b, 2, bias, c, 2, Activation.Identity, 0f, width, threads: 1);
            if (width <= KernelDispatch.HardwareWidth)
            {
                run();
                c.Should().Equal(expected, "at {0}", width);
            }
            else
            {
                run.Should().Throw<InvalidOperationException>().WithMessage($"*{width}*not hardware-accelerated*");
            }
        }
    }

    [Fact]
    public void Cap_limits_the_width_on_this_thread_and_restores_it()
    {
        VectorWidth before = KernelDispatch.Width;
        using (KernelDispatch.Cap(VectorWidth.Scalar))
        {
            KernelDispatch.Width.Should().Be(VectorWidth.Scalar);
            using (KernelDispatch.Cap(VectorWidth.Bits128))
            {
                KernelDispatch.Width.Should().Be(before >= VectorWidth.Bits128 ? VectorWidth.Bits128 : before);
            }

            KernelDispatch.Width.Should().Be(VectorWidth.Scalar);
        }

        KernelDispatch.Width.Should().Be(before);
    }

    [Fact]
    public void A_cap_on_one_thread_leaves_other_threads_at_the_hardware_width()
    {
        VectorWidth elsewhere = VectorWidth.Scalar;
        using (KernelDispatch.Cap(VectorWidth.Scalar))
        {
            var other = new Thread(() => elsewhere = KernelDispatch.Width);
            other.Start();
            other.Join();
            KernelDispatch.Width.Should().Be(VectorWidth.Scalar);
        }

        elsewhere.Should().Be(KernelDispatch.HardwareWidth);
    }

    /// <summary>
    /// The widest width this process's instruction sets give, from CPUID and the runtime switches. On x64, AVX-512F
    /// (CPUID leaf 7, EBX bit 16) gives 512 bits, AVX2 (leaf 7, EBX bit 5) 256 and SSE2 128; each switch set to 0
    /// removes its level and everything above it. <c>DOTNET_PreferredVectorBitWidth</c> is not read: it changes what
    /// the runtime reports as accelerated, not which instructions run.
    /// </summary>
    private static (VectorWidth Expected, string Why) ExpectedWidth()
    {
        if (Disabled("EnableHWIntrinsic"))
        {
            return (VectorWidth.Scalar, "DOTNET_EnableHWIntrinsic=0");
        }

        if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            return (VectorWidth.Bits128, "arm64: NEON is 128 bits wide");
        }

        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !X86Base.IsSupported)
        {
            return (VectorWidth.Scalar, $"no vector path for {RuntimeInformation.ProcessArchitecture}");
        }

        (_, int ebx7, _, _) = X86Base.CpuId(7, 0);
        bool avx512 = (ebx7 & (1 << 16)) != 0;
        bool avx2 = (ebx7 & (1 << 5)) != 0;
        if (avx2 && !Disabled("EnableAVX") && !Disabled("EnableAVX2"))
        {
            if (avx512 && !Disabled("EnableAVX512"))
            {
                return (VectorWidth.Bits512, "CPUID has AVX-512F and no switch turns it off");
            }

            return (VectorWidth.Bits256, avx512 ? "CPUID has AVX-512F but a switch turns it off" : "CPUID has AVX2 but not AVX-512F");
        }

        return (VectorWidth.Bits128, avx2 ? "CPUID has AVX2 but a switch turns it off" : "CPUID has no AVX2");
    }

    /// <summary>True when the runtime switch DOTNET_<paramref name="name"/> (or COMPlus_<paramref name="name"/>) is 0.</summary>
    private static bool Disabled(string name) => Switch(name) is { } value && int.Parse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) == 0;

    private static string? Switch(string name) =>
        Environment.GetEnvironmentVariable("DOTNET_" + name) ?? Environment.GetEnvironmentVariable("COMPlus_" + name);
}
