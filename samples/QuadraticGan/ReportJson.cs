using System.Text.Json.Serialization;

namespace QuadraticGan;

/// <summary>
/// report.json's tree, field by field in the order the file lists them (<c>totalSeconds</c> and, for conditional runs,
/// <c>classes</c> are appended by the caller once the rest of the run's work is done).
/// </summary>
/// <remarks>
/// Named types rather than anonymous ones so that <see cref="ReportJsonContext"/> can generate their serializers at
/// build time: reflection-based System.Text.Json spent 45–100 ms of CPU on its first use (measured on the default
/// run, AMD Zen 5, 2026-12-02), a sixth or more of the run's work after training.
/// </remarks>
internal sealed record QuadraticReport(
    ReportSettings Settings,
    long StepsCompleted,
    bool Cancelled,
    ReportFinal Final,
    QuadraticFitReport Fit,
    SampleDistances Distances,
    double TrainingSeconds,
    double MicrosecondsPerStep,
    double? FirstStepMilliseconds)
{
    /// <summary>The report of a finished (or cancelled) run.</summary>
    public static QuadraticReport From(TrainSettings s, RunResult run, QuadraticFitReport fit, SampleDistances distances) => new(
        new ReportSettings(
            s.Preset,
            s.Steps,
            s.Seed,
            s.Batch,
            s.LearningRateG,
            s.LearningRateD,
            s.UsesAdam ? s.Beta1 : null,
            s.LearningRateFinalFraction,
            s.Decay.ToString(),
            s.Objective.ToString(),
            s.Schedule.ToString(),
            s.DiscriminatorSteps,
            s.RealLabel,
            s.Noise.ToString(),
            s.NoiseDimension,
            s.Hidden,
            s.Samples,
            s.Resume,
            s.Threads,
            s.ExportOnnx,
            s.Conditional,
            s.Conditional ? s.LabelEncoding.ToString() : null,
            s.UsesAdam ? s.Beta2 : null,
            s.Optimizer,
            s.UsesAdam ? null : s.Momentum ?? 0f,
            s.Nesterov,
            s.ClipNorm),
        run.LastStep,
        run.Cancelled,
        new ReportFinal(
            Math.Min(500, run.LastStep - run.FirstStep),
            run.MeanRealScoreLast500,
            run.MeanRealScoreLast500, // the same value, under the name earlier reports used
            run.DiscriminatorScoreLast500,
            run.DiscriminatorLossLast500,
            run.GeneratorLossLast500,
            -Math.Log(4)),
        fit,
        distances,
        run.TrainingSeconds,
        run.MicrosecondsPerStep,
        run.FirstStepMilliseconds);
}

/// <summary>report.json's <c>settings</c>: the run's configuration (enums as their names).</summary>
internal sealed record ReportSettings(
    string Preset,
    int Steps,
    ulong Seed,
    int Batch,
    float LearningRateG,
    float LearningRateD,
    float? Beta1,
    float LearningRateFinalFraction,
    string LearningRateDecay,
    string Objective,
    string Schedule,
    int DiscriminatorSteps,
    float RealLabel,
    string Noise,
    int NoiseDimension,
    int Hidden,
    int Samples,
    string? Resume,
    int Threads,
    bool ExportOnnx,
    bool Conditional,
    string? LabelEncoding,
    float? Beta2,
    string Optimizer,
    float? Momentum,
    bool Nesterov,
    float? ClipNorm);

/// <summary>report.json's <c>final</c>: the scores averaged over the last (up to) 500 steps, and −log 4 to compare with.</summary>
internal sealed record ReportFinal(
    long AveragedOverLastSteps,
    double MeanRealScore,
    double DAccuracy,
    double DScore,
    double DLoss,
    double GLoss,
    double MinusLog4);

/// <summary>
/// The serializers of report.json, generated at build time with the options of
/// <see cref="GanCore.Samples.SampleConsole.ReportJson"/> (indented, camelCase, NaN and ±∞ as named literals).
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(QuadraticReport))]
[JsonSerializable(typeof(IReadOnlyList<ClassFitReport>))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
