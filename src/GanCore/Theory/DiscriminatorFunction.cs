using GanCore.Losses;

namespace GanCore.Theory;

/// <summary>
/// A discriminator D: x ↦ D(x) ∈ [0, 1], the probability it assigns to "x came from the data". Given either as
/// that probability or as its logit ℓ(x) = log(D/(1 − D)), so D = σ(ℓ) — the form a network with a final
/// Dense layer produces, and the form in which log D and log(1 − D) stay accurate when D is within 1e−16 of 0 or 1.
/// </summary>
public sealed class DiscriminatorFunction
{
    private readonly Func<double, double> _function;
    private readonly bool _isLogit;

    private DiscriminatorFunction(Func<double, double> function, bool isLogit)
    {
        _function = function;
        _isLogit = isLogit;
    }

    /// <summary>A discriminator given by its probability D(x).</summary>
    /// <param name="probability">x ↦ D(x); every value it returns must lie in [0, 1].</param>
    /// <returns>The discriminator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="probability"/> is null.</exception>
    public static DiscriminatorFunction FromProbability(Func<double, double> probability)
    {
        ArgumentNullException.ThrowIfNull(probability);
        return new DiscriminatorFunction(probability, isLogit: false);
    }

    /// <summary>A discriminator given by its logit ℓ(x), so that D(x) = σ(ℓ(x)) = 1/(1 + e^(−ℓ(x))).</summary>
    /// <param name="logit">x ↦ ℓ(x); may return ±∞ (D = 1 or 0), never NaN.</param>
    /// <returns>The discriminator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="logit"/> is null.</exception>
    public static DiscriminatorFunction FromLogit(Func<double, double> logit)
    {
        ArgumentNullException.ThrowIfNull(logit);
        return new DiscriminatorFunction(logit, isLogit: true);
    }

    /// <summary>D(x), the probability that x is real.</summary>
    /// <param name="x">The point.</param>
    /// <exception cref="InvalidOperationException">The underlying function returned a probability outside [0, 1], or NaN.</exception>
    public double Probability(double x) => _isLogit ? Logistic.Sigmoid(LogitAt(x)) : ProbabilityAt(x);

    /// <summary>ℓ(x) = log(D(x)/(1 − D(x))), ±∞ where D is 1 or 0.</summary>
    /// <param name="x">The point.</param>
    /// <exception cref="InvalidOperationException">The underlying function returned a probability outside [0, 1], or NaN.</exception>
    public double Logit(double x)
    {
        if (_isLogit)
        {
            return LogitAt(x);
        }

        double d = ProbabilityAt(x);
        return Math.Log(d) - Logistic.LogOnePlus(-d);
    }

    /// <summary>log D(x), the term the data expectation of V averages. For a logit it is −softplus(−ℓ).</summary>
    /// <param name="x">The point.</param>
    /// <exception cref="InvalidOperationException">The underlying function returned a probability outside [0, 1], or NaN.</exception>
    public double LogProbability(double x) =>
        _isLogit ? -Logistic.Softplus(-LogitAt(x)) : Math.Log(ProbabilityAt(x));

    /// <summary>log(1 − D(x)), the term the generator expectation of V averages. For a logit it is −softplus(ℓ).</summary>
    /// <param name="x">The point.</param>
    /// <exception cref="InvalidOperationException">The underlying function returned a probability outside [0, 1], or NaN.</exception>
    public double LogComplement(double x) =>
        _isLogit ? -Logistic.Softplus(LogitAt(x)) : Logistic.LogOnePlus(-ProbabilityAt(x));

    private double ProbabilityAt(double x)
    {
        double d = _function(x);
        if (!(d >= 0.0 && d <= 1.0))
        {
            throw new InvalidOperationException(FormattableString.Invariant($"The discriminator returned D({x}) = {d}; a probability must lie in [0, 1]."));
        }

        return d;
    }

    private double LogitAt(double x)
    {
        double logit = _function(x);
        if (double.IsNaN(logit))
        {
            throw new InvalidOperationException(FormattableString.Invariant($"The discriminator's logit at x = {x} is NaN."));
        }

        return logit;
    }
}
