using GanCore.Theory;

namespace GanCore.Tests.Theory;

/// <summary>
/// Arjovsky et al.'s parallel lines, P₀ = (0, U[0,1]) and P_θ = (θ, U[0,1]): JSD = log 2 and KL = +∞ for every
/// θ ≠ 0, W₁ = |θ|; all 0 at θ = 0.
/// </summary>
public class ParallelLinesTests
{
    public static TheoryData<double> NonZeroThetas => [1.0, -1.0, 0.5, -0.25, 1e-9, -1e-300, 3.0, 1e300];

    [Theory]
    [MemberData(nameof(NonZeroThetas))]
    public void JSD_is_log_2_for_every_nonzero_theta(double theta) =>
        ParallelLines.JensenShannon(theta).Should().BeApproximately(Math.Log(2), 1e-15);

    [Theory]
    [MemberData(nameof(NonZeroThetas))]
    public void KL_is_infinite_for_every_nonzero_theta(double theta) =>
        ParallelLines.KullbackLeibler(theta).Should().Be(double.PositiveInfinity);

    [Theory]
    [MemberData(nameof(NonZeroThetas))]
    public void W1_is_the_absolute_offset(double theta)
    {
        double expected = Math.Abs(theta);
        ParallelLines.CouplingCost(theta).Should().BeApproximately(expected, 1e-14 * expected);
        ParallelLines.DualLowerBound(theta).Should().BeApproximately(expected, 1e-14 * expected);
        ParallelLines.Wasserstein(theta).Should().BeApproximately(expected, 1e-14 * expected);
    }

    [Fact]
    public void Everything_is_zero_at_theta_zero()
    {
        ParallelLines.JensenShannon(0).Should().Be(0);
        ParallelLines.KullbackLeibler(0).Should().Be(0);
        ParallelLines.Wasserstein(0).Should().Be(0);
        ParallelLines.JensenShannon(-0.0).Should().Be(0);
    }

    [Fact]
    public void Only_W1_shrinks_as_theta_approaches_zero()
    {
        double[] thetas = [1.0, 0.1, 0.01, 0.001];
        thetas.Select(ParallelLines.Wasserstein).Should().BeInDescendingOrder().And.OnlyContain(w => w > 0);
        thetas.Select(ParallelLines.JensenShannon).Distinct().Should().ContainSingle("JSD is the same log 2 for all of them");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_theta_is_rejected(double theta)
    {
        FluentActions.Invoking(() => ParallelLines.JensenShannon(theta)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(theta));
        FluentActions.Invoking(() => ParallelLines.KullbackLeibler(theta)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(theta));
        FluentActions.Invoking(() => ParallelLines.Wasserstein(theta)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(theta));
        FluentActions.Invoking(() => ParallelLines.CouplingCost(theta)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(theta));
        FluentActions.Invoking(() => ParallelLines.DualLowerBound(theta)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(theta));
    }
}
