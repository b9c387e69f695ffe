using GanCore.Layers;
using GanCore.Optimizers;

namespace GanCore.Tests.Optimizers;

/// <summary>Schedule factors against their formulas, and optimizers following a schedule step by step.</summary>
public class LearningRateScheduleTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(50, 0.5 + 0.25)]
    [InlineData(100, 0.5)]
    [InlineData(250, 0.5)]
    public void Linear_decay_falls_linearly_to_the_final_fraction_and_holds(long step, double expected)
    {
        new LinearDecaySchedule(100, 0.5f).Factor(step).Should().BeApproximately((float)expected, 1e-6f);
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(25, 0.1 + (0.9 * 0.5 * (1 + 0.70710678118654757)))]
    [InlineData(50, 0.55)]
    [InlineData(100, 0.1)]
    [InlineData(1000, 0.1)]
    public void Cosine_decay_follows_half_a_cosine_to_the_final_fraction(long step, double expected)
    {
        new CosineDecaySchedule(100, 0.1f).Factor(step).Should().BeApproximately((float)expected, 1e-6f);
    }

    [Fact]
    public void Warmup_rises_linearly_then_hands_over_to_the_next_schedule_at_its_step_zero()
    {
        var schedule = new LinearWarmupSchedule(4, new LinearDecaySchedule(10, 0.5f));
        float[] factors = [.. Enumerable.Range(0, 6).Select(t => schedule.Factor(t))];
        factors.Should().Equal(0.25f, 0.5f, 0.75f, 1f, 1f, 1f - (0.5f * 0.1f));
        new LinearWarmupSchedule(3).Factor(100).Should().Be(1f);
    }

    [Fact]
    public void The_tuned_preset_decay_formula_is_reproduced_bit_for_bit()
    {
        // The formula the quadratic sample used before schedules existed: 1 − (1 − f)·(t / T) in float.
        const float final = 0.05f;
        const long total = 20000;
        var schedule = new LinearDecaySchedule(total, final);
        for (long t = 0; t <= total; t += 37)
        {
            float progress = (float)t / Math.Max(1, total);
            float expected = 1f - ((1f - final) * progress);
            schedule.Factor(t).Should().Be(expected, "step {0}", t);
        }
    }

    [Fact]
    public void Sgd_with_a_schedule_steps_by_the_scheduled_rate()
    {
        var p = new Parameter("p", 1, 1);
        p.Value.Span[0] = 1f;
        var sgd = new Sgd([p], 0.1f) { Schedule = new LinearDecaySchedule(2, 0.5f) };
        float[] expectedRates = [0.1f, 0.075f, 0.05f, 0.05f];
        double value = 1;
        foreach (float rate in expectedRates)
        {
            sgd.CurrentLearningRate.Should().BeApproximately(rate, 1e-7f);
            p.Gradient.Span[0] = 1f;
            sgd.Step();
            value -= rate;
            ((double)p.Value.Span[0]).Should().BeApproximately(value, 1e-6);
        }

        sgd.LearningRate.Should().Be(0.1f, "the base rate is not changed by the schedule");
    }

    [Fact]
    public void Adam_with_a_schedule_matches_adam_whose_rate_is_set_by_hand_each_step()
    {
        var a = new Parameter("a", 1, 3);
        var b = new Parameter("b", 1, 3);
        float[] start = [0.3f, -0.7f, 1.1f];
        start.CopyTo(a.Value.Span);
        start.CopyTo(b.Value.Span);
        var schedule = new CosineDecaySchedule(5, 0.2f);
        var scheduled = new Adam([a], 0.01f) { Schedule = schedule };
        var byHand = new Adam([b], 0.01f);
        for (int t = 0; t < 8; t++)
        {
            float[] g = [MathF.Sin(t), MathF.Cos(t), 0.5f - t];
            g.CopyTo(a.Gradient.Span);
            g.CopyTo(b.Gradient.Span);
            byHand.LearningRate = 0.01f * schedule.Factor(t);
            scheduled.Step();
            byHand.Step();
            a.Value.Span.ToArray().Should().Equal(b.Value.Span.ToArray(), "step {0}", t);
        }
    }

    [Fact]
    public void Bad_settings_are_rejected_with_the_parameter_named()
    {
        FluentActions.Invoking(() => new LinearDecaySchedule(0, 0.5f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("steps");
        FluentActions.Invoking(() => new LinearDecaySchedule(10, 0f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("finalFraction");
        FluentActions.Invoking(() => new CosineDecaySchedule(10, float.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("finalFraction");
        FluentActions.Invoking(() => new CosineDecaySchedule(10, 1.5f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("finalFraction");
        FluentActions.Invoking(() => new LinearWarmupSchedule(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("warmupSteps");
        FluentActions.Invoking(() => LearningRateSchedule.Constant.Factor(-1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("step");
        var sgd = new Sgd([new Parameter("p", 1, 1)], 0.1f);
        FluentActions.Invoking(() => sgd.Schedule = null!).Should().Throw<ArgumentNullException>().WithParameterName("Schedule");
    }
}
