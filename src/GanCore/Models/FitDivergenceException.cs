namespace GanCore.Models;

/// <summary>
/// <see cref="Sequential.Fit"/> found a NaN or infinite model output, loss or weight: training diverged. The message
/// names the epoch and step. The model's weights may hold the non-finite values, except with early stopping and
/// <see cref="FitOptions.RestoreBestWeights"/> once an epoch has been validated: Fit then puts that best epoch's
/// state back before it throws (<see cref="RestoredBestEpoch"/>), as it does when training runs to its end, unless
/// that state itself holds a non-finite value. The optimizer's state is not rewound and may be non-finite: continue
/// training with a new optimizer. An <see cref="ArithmeticException"/>, as Fit's divergence error was before it had a
/// type of its own.
/// </summary>
public sealed class FitDivergenceException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public FitDivergenceException()
        : this("Fit: training diverged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What diverged.</param>
    public FitDivergenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What diverged.</param>
    /// <param name="innerException">The cause.</param>
    public FitDivergenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal FitDivergenceException(int epoch, long step, string what)
        : base($"Fit: training diverged at epoch {epoch}, step {step}: {what} (try a smaller learning rate).")
    {
        Epoch = epoch;
        Step = step;
    }

    /// <summary>
    /// The epoch whose weights (the lowest validation loss) Fit put back before throwing, under early stopping with
    /// <see cref="FitOptions.RestoreBestWeights"/>; 0 when it put nothing back and the model holds the diverged weights
    /// (no epoch validated yet, no early stopping, or a best state that was not finite itself). The message ends by
    /// saying which epoch's weights were restored.
    /// </summary>
    public int RestoredBestEpoch { get; internal set; }

    /// <inheritdoc/>
    public override string Message => RestoredBestEpoch > 0
        ? $"{base.Message} The weights of epoch {RestoredBestEpoch} (lowest validation loss) were restored into the model."
        : base.Message;

    /// <summary>The epoch (1-based) in which the non-finite value appeared; 0 when not known.</summary>
    public int Epoch { get; }

    /// <summary>The optimizer step (1-based, counted across epochs) at or after which it appeared; 0 when not known.</summary>
    public long Step { get; }
}
