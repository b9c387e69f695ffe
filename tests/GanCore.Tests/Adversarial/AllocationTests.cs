using GanCore.Adversarial;
using GanCore.Kernels;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>A steady-state training step allocates nothing (the seed configuration, on the calling thread).</summary>
public class AllocationTests
{
    [Theory]
    [InlineData(GanSchedule.Simultaneous, GanObjective.Minimax)]
    [InlineData(GanSchedule.Simultaneous, GanObjective.LeastSquares)]
    [InlineData(GanSchedule.Alternating, GanObjective.NonSaturating)]
    public void Steady_state_Step_allocates_zero_bytes(GanSchedule schedule, GanObjective objective)
    {
        Gan gan = GanTestKit.SeedGan(4, new GanOptions { Schedule = schedule, Objective = objective, DiscriminatorSteps = 2 });
        AllocationProbe.QuietestWindow(gan).Should().Be(0, $"a steady-state step must not allocate; for diagnosis, one Gemm.Multiply call allocates {GemmBytesPerCall()} bytes, one generator forward pass {ForwardBytes(gan)} bytes");
    }

    [Theory]
    [InlineData(GanSchedule.Simultaneous, 1, false)]
    [InlineData(GanSchedule.Simultaneous, 3, true)]
    [InlineData(GanSchedule.Alternating, 1, true)]
    [InlineData(GanSchedule.Alternating, 2, false)]
    public void Steady_state_Step_with_the_R1_penalty_allocates_zero_bytes(GanSchedule schedule, int interval, bool conditional)
    {
        var options = new GanOptions { Schedule = schedule, Objective = GanObjective.NonSaturating, DiscriminatorSteps = 2, R1Gamma = 10f, R1Interval = interval };
        Gan gan = conditional ? GanTestKit.ConditionalSeedGan(4, options) : GanTestKit.SeedGan(4, options);
        float penalty = 0f;
        long bytes = AllocationProbe.QuietestWindow(() => penalty = Math.Max(penalty, gan.Step().R1Penalty)); // the penalty's buffers are made in the warm-up
        penalty.Should().BeGreaterThan(0f, "the penalty ran");
        bytes.Should().Be(0, "a steady-state step with R1 on must not allocate");
    }

    private static long GemmBytesPerCall()
    {
        var a = new Matrix(64, 5);
        var b = new Matrix(5, 128);
        var c = new Matrix(64, 128);
        Gemm.Multiply(a, b, c);
        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Gemm.Multiply(a, b, c);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - start) / 10;
    }

    private static long ForwardBytes(Gan gan)
    {
        var z = new Matrix(64, 5);
        gan.Generator.Forward(z);
        long start = GC.GetAllocatedBytesForCurrentThread();
        gan.Generator.Forward(z);
        return GC.GetAllocatedBytesForCurrentThread() - start;
    }
}
