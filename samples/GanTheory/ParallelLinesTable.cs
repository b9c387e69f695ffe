using GanCore.Theory;

namespace GanTheory;

/// <summary>One row of the parallel-lines table: the divergences between P₀ = (0, U[0,1]) and P_θ = (θ, U[0,1]).</summary>
/// <param name="Theta">θ, the offset of the second segment.</param>
/// <param name="JensenShannon">JSD(P₀‖P_θ) (<see cref="ParallelLines.JensenShannon"/>).</param>
/// <param name="Wasserstein">W₁(P₀, P_θ) (<see cref="ParallelLines.Wasserstein"/>).</param>
/// <param name="KullbackLeibler">KL(P₀‖P_θ) (<see cref="ParallelLines.KullbackLeibler"/>).</param>
internal sealed record ParallelLinesRow(double Theta, double JensenShannon, double Wasserstein, double KullbackLeibler);

/// <summary>The table and the curves of Arjovsky et al.'s Example 1, computed with <see cref="ParallelLines"/>.</summary>
internal static class ParallelLinesTable
{
    /// <summary>The θ values of the printed table.</summary>
    public static IReadOnlyList<double> TableThetas { get; } = [-1, -0.5, -0.1, -0.01, 0, 0.01, 0.1, 0.5, 1];

    /// <summary>One row per θ.</summary>
    public static IReadOnlyList<ParallelLinesRow> Compute(IEnumerable<double> thetas) =>
        [.. thetas.Select(t => new ParallelLinesRow(t, ParallelLines.JensenShannon(t), ParallelLines.Wasserstein(t), ParallelLines.KullbackLeibler(t)))];

    /// <summary>θ on [−1, 1] in steps of 0.01, with 0 exactly, for the plot.</summary>
    public static IReadOnlyList<double> PlotThetas { get; } = [.. Enumerable.Range(-100, 201).Select(i => i / 100.0)];
}
