using System.Globalization;
using System.Text;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Testing;

/// <summary>
/// One variable of a gradient check: the float32 values the checker perturbs in place, and the analytic
/// gradient dL/d(values) that the code under test computed for them (same shape).
/// </summary>
/// <param name="Name">A name for failure messages, e.g. "Dense(3→4).weights" or "input".</param>
/// <param name="Values">The values; the checker changes one element at a time and restores it exactly.</param>
/// <param name="Analytic">The analytic gradient. It is copied when the check starts, so it may be a layer-owned buffer.</param>
public sealed record GradientVariable(string Name, Matrix Values, Matrix Analytic);

/// <summary>One element whose numerical and analytic derivatives disagree.</summary>
/// <param name="Variable">The variable's name.</param>
/// <param name="Row">The element's row.</param>
/// <param name="Column">The element's column.</param>
/// <param name="Numerical">The finite-difference estimate.</param>
/// <param name="Analytic">The analytic value.</param>
public readonly record struct GradientMismatch(string Variable, int Row, int Column, double Numerical, double Analytic)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Variable}[{Row},{Column}]: numerical {Numerical:G9}, analytic {Analytic:G9}, |diff| {Math.Abs(Numerical - Analytic):G3} > allowed {GradientChecker.Allowed(Numerical, Analytic):G3}");
}

/// <summary>The outcome of <see cref="GradientChecker.Check"/>.</summary>
/// <param name="Checked">How many elements were compared.</param>
/// <param name="Mismatches">Every element outside the tolerance.</param>
/// <param name="WorstRatio">The largest |num − ana| / allowed seen (≤ 1 means every element passed).</param>
public sealed record GradientCheckResult(int Checked, IReadOnlyList<GradientMismatch> Mismatches, double WorstRatio)
{
    /// <summary>True when every element is within the tolerance.</summary>
    public bool Passed => Mismatches.Count == 0;

    /// <summary>A readable summary listing the first mismatches.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Mismatches.Count} of {Checked} derivatives disagree (worst |diff|/allowed = {WorstRatio:G3}).");
        foreach (GradientMismatch m in Mismatches.Take(10))
        {
            text.AppendLine().Append("  ").Append(m.ToString());
        }

        return text.ToString();
    }
}

/// <summary>
/// A reusable finite-difference gradient checker for the hand-written backward passes.
/// </summary>
/// <remarks>
/// <para><b>The numerical derivative.</b> For every element θ of every variable, the objective L (a double-valued
/// function of the current state, typically a forward pass reduced to a scalar) is evaluated at θ ± h and θ ± 2h
/// and the fourth-order central difference
/// <c>(L(θ−2h) − 8L(θ−h) + 8L(θ+h) − L(θ+2h)) / (12h)</c> is compared with the analytic value. The
/// fourth-order stencil keeps the truncation error (∝ h⁴) far below the tolerance even where the function curves
/// strongly (BCE near 0 or 1), so one h fits every layer, loss and network. The float32 forward pass adds rounding
/// noise of about 1e−7·|L| per evaluation, i.e. about 1e−5 on the derivative at h = 1e−2.</para>
/// <para><b>The one tolerance</b>, used by every check in the suite:
/// <c>|num − ana| ≤ <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> · max(|num|, |ana|)</c>.
/// A gradient scaled by 1.01 fails it for every element larger than about 0.013.</para>
/// <para><b>Kinks.</b> ReLU and LeakyReLU are not differentiable at 0; callers keep every pre-activation at least
/// <see cref="KinkMargin"/> away from 0 (and perturbations of ±2h must not cross it).</para>
/// </remarks>
public static class GradientChecker
{
    /// <summary>The finite-difference step h, applied to the float32 value.</summary>
    public const float Step = 1e-2f;

    /// <summary>The absolute part of the tolerance.</summary>
    public const double AbsoluteTolerance = 1e-4;

    /// <summary>The relative part of the tolerance.</summary>
    public const double RelativeTolerance = 2e-3;

    /// <summary>The distance from a ReLU/LeakyReLU kink that every pre-activation must keep in a check.</summary>
    public const double KinkMargin = 0.1;

    /// <summary>The largest |num − ana| the tolerance allows for this pair.</summary>
    public static double Allowed(double numerical, double analytic) =>
        AbsoluteTolerance + (RelativeTolerance * Math.Max(Math.Abs(numerical), Math.Abs(analytic)));

    /// <summary>Whether a numerical and an analytic derivative agree within the one tolerance.</summary>
    public static bool IsClose(double numerical, double analytic) => Math.Abs(numerical - analytic) <= Allowed(numerical, analytic);

    /// <summary>Compares every element of every variable's analytic gradient with a finite-difference estimate.</summary>
    /// <param name="objective">Evaluates L at the current values. It must be deterministic and must not change the values.</param>
    /// <param name="variables">The variables to perturb, each with its analytic gradient.</param>
    /// <returns>How many elements were compared and which ones disagree.</returns>
    public static GradientCheckResult Check(Func<double> objective, params GradientVariable[] variables)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(variables);
        var mismatches = new List<GradientMismatch>();
        int checkedCount = 0;
        double worst = 0;

        // Snapshot every analytic gradient first: the objective may run forward passes that reuse buffers.
        float[][,] analytic = variables.Select(v => v.Analytic.ToArray()).ToArray();
        for (int k = 0; k < variables.Length; k++)
        {
            GradientVariable v = variables[k];
            if (v.Values.Rows != v.Analytic.Rows || v.Values.Columns != v.Analytic.Columns)
            {
                throw new ArgumentException($"{v.Name}: the values are {v.Values.Rows}×{v.Values.Columns} but the analytic gradient is {v.Analytic.Rows}×{v.Analytic.Columns}.", nameof(variables));
            }

            for (int i = 0; i < v.Values.Rows; i++)
            {
                for (int j = 0; j < v.Values.Columns; j++)
                {
                    double numerical = Numerical(objective, v.Values, i, j);
                    double ana = analytic[k][i, j];
                    checkedCount++;
                    double ratio = Math.Abs(numerical - ana) / Allowed(numerical, ana);
                    worst = Math.Max(worst, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
                    if (!IsClose(numerical, ana))
                    {
                        mismatches.Add(new GradientMismatch(v.Name, i, j, numerical, ana));
                    }
                }
            }
        }

        return new GradientCheckResult(checkedCount, mismatches, worst);
    }

    /// <summary>Runs <see cref="Check"/> and fails the test with a readable list of mismatches when any element disagrees.</summary>
    /// <param name="objective">Evaluates L at the current values.</param>
    /// <param name="variables">The variables to perturb, each with its analytic gradient.</param>
    /// <returns>The result, for further assertions.</returns>
    public static GradientCheckResult AssertMatches(Func<double> objective, params GradientVariable[] variables)
    {
        GradientCheckResult result = Check(objective, variables);
        result.Checked.Should().BeGreaterThan(0, "a gradient check must compare something");
        result.Passed.Should().BeTrue(result.Describe());
        return result;
    }

    /// <summary>
    /// Checks a whole model: runs Forward and Backward(<paramref name="projection"/>) once for the analytic
    /// gradients (after zeroing the parameter gradients), then compares dL/d(input) and every parameter gradient
    /// with finite differences of L = Σ projection ⊙ model(input). Keep ReLU pre-activations away from 0.
    /// </summary>
    /// <param name="model">The model; its parameter gradients are overwritten.</param>
    /// <param name="input">The batch; perturbed and restored.</param>
    /// <param name="projection">dL/d(output), the output's shape.</param>
    /// <returns>The result of <see cref="Check"/>.</returns>
    public static GradientCheckResult CheckModel(Sequential model, Matrix input, Matrix projection) =>
        Check(() => Project(model.Forward(input), projection), ModelVariables(model, input, projection));

    /// <summary>
    /// The analytic half of <see cref="CheckModel"/>: zeroes the parameter gradients, runs Forward and
    /// Backward(<paramref name="projection"/>) once, and returns the input and every parameter, each with its analytic
    /// gradient, ready for <see cref="Check"/> (for a test that changes the model, e.g. its mode, before the finite differences).
    /// </summary>
    /// <param name="model">The model; its parameter gradients are overwritten.</param>
    /// <param name="input">The batch.</param>
    /// <param name="projection">dL/d(output), the output's shape.</param>
    public static GradientVariable[] ModelVariables(Sequential model, Matrix input, Matrix projection)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ZeroGradients();
        model.Forward(input);
        Matrix dx = model.Backward(projection);
        return [new("input", input, dx), .. ParameterVariables(model)];
    }

    /// <summary>
    /// Every parameter of <paramref name="model"/> as a variable whose analytic gradient is the parameter's gradient
    /// buffer (filled by whatever the test ran), named "layer i Name.parameter".
    /// </summary>
    /// <param name="model">The model.</param>
    /// <returns>One variable per parameter, layer by layer, in each layer's parameter order.</returns>
    public static GradientVariable[] ParameterVariables(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.Layers.SelectMany((layer, i) => layer.Parameters.Select(p => new GradientVariable($"layer {i} {layer.Name}.{p.Name}", p.Value, p.Gradient)))];
    }

    /// <summary>Σ weights ⊙ output in double: a scalar objective whose gradient with respect to output is <paramref name="weights"/>.</summary>
    /// <param name="output">The output of a forward pass.</param>
    /// <param name="weights">The projection, the same shape.</param>
    public static double Project(Matrix output, Matrix weights)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(weights);
        if (output.Rows != weights.Rows || output.Columns != weights.Columns)
        {
            throw new ArgumentException($"The output is {output.Rows}×{output.Columns} but the projection is {weights.Rows}×{weights.Columns}.", nameof(weights));
        }

        double sum = 0;
        for (int i = 0; i < output.Rows; i++)
        {
            Span<float> y = output.Row(i);
            Span<float> r = weights.Row(i);
            for (int j = 0; j < y.Length; j++)
            {
                sum += (double)y[j] * r[j];
            }
        }

        return sum;
    }

    /// <summary>A matrix of uniform values in [<paramref name="low"/>, <paramref name="high"/>), drawn from <paramref name="random"/>.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    /// <param name="random">The generator.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound.</param>
    public static Matrix Uniform(int rows, int columns, RandomSource random, float low = -1f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(random);
        var m = new Matrix(rows, columns);
        random.FillUniform(m.Span, low, high);
        return m;
    }

    private static double Numerical(Func<double> objective, Matrix values, int row, int column)
    {
        float original = values[row, column];
        try
        {
            values[row, column] = original - (2 * Step);
            double minus2 = objective();
            values[row, column] = original - Step;
            double minus1 = objective();
            values[row, column] = original + Step;
            double plus1 = objective();
            values[row, column] = original + (2 * Step);
            double plus2 = objective();
            return (minus2 - (8 * minus1) + (8 * plus1) - plus2) / (12.0 * Step);
        }
        finally
        {
            values[row, column] = original;
        }
    }
}
