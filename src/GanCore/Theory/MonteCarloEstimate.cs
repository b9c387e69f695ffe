namespace GanCore.Theory;

/// <summary>A Monte Carlo estimate of an expectation.</summary>
/// <param name="Mean">(1/n) Σ g(xᵢ), the estimate.</param>
/// <param name="StandardError">s/√n, with s the sample standard deviation of the g(xᵢ): the typical size of the estimate's error.</param>
/// <param name="SampleCount">n, the number of samples.</param>
public readonly record struct MonteCarloEstimate(double Mean, double StandardError, int SampleCount);
