using System.Runtime.Intrinsics;
using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary>
/// Proves which vector widths this process accelerates. CI's width legs set GANCORE_EXPECT_WIDTH
/// (512, 256, 128 or 0) next to the DOTNET_Enable* switch, so a leg can never silently rerun the wide path.
/// </summary>
public class HardwareWidthTests
{
    [Fact]
    public void Dispatch_matches_what_the_runtime_accelerates()
    {
        VectorWidth expected =
            Vector512.IsHardwareAccelerated ? VectorWidth.Bits512 :
            Vector256.IsHardwareAccelerated ? VectorWidth.Bits256 :
            Vector128.IsHardwareAccelerated ? VectorWidth.Bits128 : VectorWidth.Scalar;
        KernelDispatch.HardwareWidth.Should().Be(expected);
        KernelDispatch.Width.Should().Be(expected);
    }

    [Fact]
    public void Width_named_by_the_CI_leg_is_the_widest_accelerated()
    {
        string? expected = Environment.GetEnvironmentVariable("GANCORE_EXPECT_WIDTH");
        if (string.IsNullOrEmpty(expected))
        {
            // Outside the CI legs, the default run on this project's machines has AVX-512 or at least AVX2.
            Vector128.IsHardwareAccelerated.Should().BeTrue("every x64 and arm64 machine accelerates Vector128");
            return;
        }

        int bits = int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Vector512.IsHardwareAccelerated.Should().Be(bits >= 512, "GANCORE_EXPECT_WIDTH={0}", bits);
        Vector256.IsHardwareAccelerated.Should().Be(bits >= 256, "GANCORE_EXPECT_WIDTH={0}", bits);
        Vector128.IsHardwareAccelerated.Should().Be(bits >= 128, "GANCORE_EXPECT_WIDTH={0}", bits);
        ((int)KernelDispatch.HardwareWidth).Should().Be(bits);
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
}
