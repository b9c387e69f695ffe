namespace GanCore.Adversarial;

/// <summary>
/// Training produced a NaN or infinite loss or weight. Nothing was clamped; the message names the step and the
/// first non-finite quantity. The networks hold the non-finite values, so restore from a checkpoint.
/// </summary>
public sealed class GanDivergenceException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public GanDivergenceException()
        : this("GAN training diverged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What diverged.</param>
    public GanDivergenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What diverged.</param>
    /// <param name="innerException">The cause.</param>
    public GanDivergenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal GanDivergenceException(long step, string quantity, double value)
        : base($"GAN training diverged at step {step}: {quantity} is {value}.")
    {
        Step = step;
        Quantity = quantity;
    }

    /// <summary>The step at which the non-finite value appeared.</summary>
    public long Step { get; }

    /// <summary>The first non-finite quantity found, e.g. "discriminator loss" or "generator parameter Dense(5→128).weights[17]".</summary>
    public string Quantity { get; } = string.Empty;
}
