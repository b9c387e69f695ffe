using GanCore.Adversarial;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
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

    [Theory]
    [InlineData(GanSchedule.Simultaneous, false)]
    [InlineData(GanSchedule.Alternating, true)]
    public void Steady_state_Step_with_the_WGAN_GP_penalty_allocates_zero_bytes(GanSchedule schedule, bool conditional)
    {
        var options = new GanOptions { Schedule = schedule, Objective = GanObjective.Wasserstein, DiscriminatorSteps = 2, GradientPenaltyWeight = 10f };
        Gan gan = conditional ? GanTestKit.ConditionalSeedGan(4, options) : GanTestKit.SeedGan(4, options);
        float penalty = 0f;
        long bytes = AllocationProbe.QuietestWindow(() => penalty = Math.Max(penalty, gan.Step().GradientPenalty)); // the interpolates are made in the warm-up
        penalty.Should().BeGreaterThan(0f, "the penalty ran");
        bytes.Should().Be(0, "a steady-state step with the gradient penalty on must not allocate");
    }

    [Fact]
    public void Steady_state_Step_with_the_R1_penalty_over_spectrally_normalized_layers_allocates_zero_bytes()
    {
        var random = new RandomSource(4);
        var g = new Sequential(new Dense(5, 32, random), new ReLU(), new Dense(32, GanTestKit.CurvePoints, random));
        var d = new Sequential(new SpectralNormDense(GanTestKit.CurvePoints, 32, random), new ReLU(), new SpectralNormDense(32, 32, random), new LeakyReLU(0.2f), new Dense(32, 1, random));
        var gan = new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, new GanOptions { Objective = GanObjective.NonSaturating, R1Gamma = 10f });
        float penalty = 0f;
        long bytes = AllocationProbe.QuietestWindow(() => penalty = Math.Max(penalty, gan.Step().R1Penalty));
        penalty.Should().BeGreaterThan(0f, "the penalty ran");
        bytes.Should().Be(0, "a steady-state step with R1 over normalized layers must not allocate");
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
