namespace GanCore.Theory;

/// <summary>
/// The GAN minimax game of Goodfellow et al. (2014) on densities: the value V(G, D), the optimal discriminator
/// D*, and the virtual training criterion C(G) = V(G, D*) = −log 4 + 2·JSD(p_data‖p_g). The generator G is
/// represented by the density p_g of its samples.
/// </summary>
public static class Game
{
    /// <summary>
    /// −log 4 ≈ −1.3862943611198906: the value of the game at its equilibrium p_g = p_data, D = ½, and the
    /// global minimum of C(G). A GAN's "D score" (the negated discriminator loss) tends to it.
    /// </summary>
    public const double GlobalMinimum = -1.3862943611198906;

    /// <summary>
    /// V(G, D) = E_x~p_data[log D(x)] + E_x~p_g[log(1 − D(x))], each expectation by quadrature
    /// (<see cref="Expectation.Quadrature"/>). D maximizes V; G minimizes it.
    /// </summary>
    /// <remarks>
    /// V ≤ 0 always. It is −∞ when D(x) = 0 somewhere p_data has mass, or D(x) = 1 somewhere p_g has mass. Where a
    /// density is zero its term is 0 whatever D is there. Give D as a logit when it comes within 1e−16 of 0 or 1,
    /// or log(1 − D) rounds to −∞.
    /// </remarks>
    /// <param name="data">p_data, the density of the real data.</param>
    /// <param name="generator">p_g, the density of the generator's samples.</param>
    /// <param name="discriminator">D.</param>
    /// <returns>V(G, D).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">The discriminator returned a probability outside [0, 1], or NaN.</exception>
    public static double Value(IDensity data, IDensity generator, DiscriminatorFunction discriminator)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(discriminator);
        // Both integrals are cut at the breakpoints of both densities: a D built from them (D*) jumps at all of them.
        return Expectation.QuadratureCutAt(data, discriminator.LogProbability, generator)
            + Expectation.QuadratureCutAt(generator, discriminator.LogComplement, data);
    }

    /// <summary>
    /// The optimal discriminator for a fixed generator, D*(x) = p_data(x) / (p_data(x) + p_g(x)).
    /// </summary>
    /// <remarks>
    /// V(G, D) = ∫ [p_data(x) log D(x) + p_g(x) log(1 − D(x))] dx, and for a, b ≥ 0 (not both 0) the function
    /// y ↦ a log y + b log(1 − y) on [0, 1] is maximized at y = a/(a + b); maximizing under the integral point by point
    /// gives D*. It is returned as its logit, ℓ*(x) = log p_data(x) − log p_g(x), computed from the log-densities so it
    /// stays exact in tails where both densities underflow. D*(x) = ½ wherever p_g(x) = p_data(x); where both
    /// densities are zero D* is not determined by the game and is set to ½ (logit 0).
    /// </remarks>
    /// <param name="data">p_data.</param>
    /// <param name="generator">p_g.</param>
    /// <returns>D*, as a logit.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static DiscriminatorFunction OptimalDiscriminator(IDensity data, IDensity generator)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(generator);
        return DiscriminatorFunction.FromLogit(x =>
        {
            double logData = data.LogDensity(x);
            double logGenerator = generator.LogDensity(x);
            if (double.IsNegativeInfinity(logData) && double.IsNegativeInfinity(logGenerator))
            {
                return 0.0;
            }

            return logData - logGenerator;
        });
    }

    /// <summary>
    /// The virtual training criterion C(G) = max_D V(G, D) = V(G, D*), computed by plugging
    /// <see cref="OptimalDiscriminator"/> into <see cref="Value"/> and integrating.
    /// </summary>
    /// <remarks>
    /// Substituting D* gives C(G) = −log 4 + KL(p_data‖m) + KL(p_g‖m) with m = (p_data + p_g)/2, that is
    /// −log 4 + 2·JSD(p_data‖p_g) (see <see cref="Divergences.JensenShannon(IDensity, IDensity)"/>). So
    /// C(G) ≥ −log 4 (<see cref="GlobalMinimum"/>), with equality exactly when p_g = p_data. This function does not use
    /// that identity; the tests check it.
    /// </remarks>
    /// <param name="data">p_data.</param>
    /// <param name="generator">p_g.</param>
    /// <returns>C(G).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static double VirtualTrainingCriterion(IDensity data, IDensity generator) =>
        Value(data, generator, OptimalDiscriminator(data, generator));
}
