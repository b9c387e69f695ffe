using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>
/// A generative adversarial network: a generator G (noise → example) and a discriminator D (example → one logit)
/// trained against each other on V(G, D) = E_x[log D(x)] + E_z[log(1 − D(G(z)))].
/// </summary>
/// <remarks>
/// <para>D outputs logits; the sigmoid lives inside the objective (<see cref="AdversarialObjective"/>, built on the
/// numerically stable BCE-from-logits of <see cref="Losses.BinaryCrossEntropyWithLogits"/>) and in the metrics. The generator's gradient flows through D with D's parameter gradients skipped
/// (<see cref="ParameterGradients.Skip"/>), so a generator update neither changes D's weights nor adds anything to
/// D's gradient buffers.</para>
/// <para>All randomness — noise, real batches — comes from the one <see cref="RandomSource"/> given, so a
/// checkpoint that saves its state resumes bit for bit. A steady-state <see cref="Step"/> allocates nothing.
/// An instance is not thread-safe; independent instances share no state and may train on different threads.</para>
/// </remarks>
public sealed partial class Gan
{
    // The batch buffers are made on first use, not in the constructor: a checkpoint may store any batch size up to
    // 2^20, and loading one must not allocate more than the file's size justifies.
    private StepBuffers? _buffers;

    // The real sampler as a conditional one, or null for an unconditional GAN.
    private readonly IConditionalRealDataSampler? _conditionalData;

    /// <summary>True when G and D share a parameter: then one optimizer's step can change values the other already
    /// vouched for, so the divergence check always scans (Gan.Checks.cs).</summary>
    private readonly bool _parametersShared;

    /// <summary>Assembles a GAN from its parts. A sampler that is an <see cref="IConditionalRealDataSampler"/> makes the GAN
    /// conditional, with the fake batch reusing the real batch's conditions (see the overload that takes an <see cref="IConditionSource"/>).</summary>
    /// <param name="generator">G: input width = the noise dimension (+ the condition width when conditional), output width = the data dimension.</param>
    /// <param name="discriminator">D: input width = the data dimension (+ the condition width when conditional), times <see cref="GanOptions.PackingDegree"/>; output width 1 (a logit; no final sigmoid).</param>
    /// <param name="generatorOptimizer">An optimizer over exactly G's parameters.</param>
    /// <param name="discriminatorOptimizer">An optimizer over exactly D's parameters.</param>
    /// <param name="noise">The latent prior p_z.</param>
    /// <param name="realData">The real-data sampler p_data.</param>
    /// <param name="random">The generator of all randomness in training.</param>
    /// <param name="options">The objective, schedule and batch settings; the defaults of <see cref="GanOptions"/> when null.</param>
    /// <exception cref="ArgumentNullException">A part is null.</exception>
    /// <exception cref="ArgumentException">The widths of G, D, the noise and the data do not fit together, D's output is not 1 wide, or an optimizer is not over its network's parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The longer, conditional overload takes an IConditionalRealDataSampler and a condition source in the middle of the list, so no existing call can rebind to it.")]
    public Gan(Sequential generator, Sequential discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer, INoiseSource noise, IRealDataSampler realData, RandomSource random, GanOptions? options = null)
        : this(generator, discriminator, generatorOptimizer, discriminatorOptimizer, noise, realData, null, random, options)
    {
    }

    /// <summary>
    /// Assembles a conditional GAN: G receives [z, c] and D receives [x, c], where the real batch's conditions c come
    /// with its examples from <paramref name="realData"/> and the fake batch's from <paramref name="fakeConditions"/>
    /// (or, when that is null, the real batch's conditions of the same step).
    /// </summary>
    /// <param name="generator">G: input width = noise dimension + condition width, output width = the data dimension.</param>
    /// <param name="discriminator">D: input width = data dimension + condition width, times <see cref="GanOptions.PackingDegree"/>; output width 1 (a logit).</param>
    /// <param name="generatorOptimizer">An optimizer over exactly G's parameters.</param>
    /// <param name="discriminatorOptimizer">An optimizer over exactly D's parameters.</param>
    /// <param name="noise">The latent prior p_z.</param>
    /// <param name="realData">The sampler of (x, c) pairs.</param>
    /// <param name="fakeConditions">Where the fake batch's conditions come from; null reuses the real batch's.</param>
    /// <param name="random">The generator of all randomness in training.</param>
    /// <param name="options">The objective, schedule and batch settings; the defaults of <see cref="GanOptions"/> when null (the argument is required, not optional).</param>
    /// <exception cref="ArgumentNullException">A part other than <paramref name="fakeConditions"/> is null.</exception>
    /// <exception cref="ArgumentException">The widths of G, D, the noise, the data and the conditions do not fit together (the message names them), D's output is not 1 wide, or an optimizer is not over its network's parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public Gan(Sequential generator, Sequential discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer, INoiseSource noise, IConditionalRealDataSampler realData, IConditionSource? fakeConditions, RandomSource random, GanOptions? options)
        : this(generator, discriminator, generatorOptimizer, discriminatorOptimizer, noise, (IRealDataSampler)realData, fakeConditions, random, options)
    {
    }

    private Gan(Sequential generator, Sequential discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer, INoiseSource noise, IRealDataSampler realData, IConditionSource? fakeConditions, RandomSource random, GanOptions? options)
    {
        options ??= new GanOptions();
        CheckParts(generator, discriminator, generatorOptimizer, discriminatorOptimizer, noise, realData, fakeConditions, random, options);
        Generator = generator;
        Discriminator = discriminator;
        GeneratorOptimizer = generatorOptimizer;
        DiscriminatorOptimizer = discriminatorOptimizer;
        Noise = noise;
        RealData = realData;
        _conditionalData = realData as IConditionalRealDataSampler;
        FakeConditions = fakeConditions;
        ConditionDimension = _conditionalData?.ConditionDimension ?? 0;
        Random = random;
        Options = options;
        Objective = AdversarialObjective.For(options.Objective);
        AveragedGenerator = CreateAverage(generator, options);
        _parametersShared = generator.Parameters.Intersect(discriminator.Parameters).Any();
    }

    /// <summary>G.</summary>
    public Sequential Generator { get; }

    /// <summary>D (outputs logits).</summary>
    public Sequential Discriminator { get; }

    /// <summary>G's optimizer.</summary>
    public Optimizer GeneratorOptimizer { get; }

    /// <summary>D's optimizer.</summary>
    public Optimizer DiscriminatorOptimizer { get; }

    /// <summary>The latent prior.</summary>
    public INoiseSource Noise { get; }

    /// <summary>The real-data sampler.</summary>
    public IRealDataSampler RealData { get; }

    /// <summary>The generator of all randomness in training.</summary>
    public RandomSource Random { get; }

    /// <summary>The width of the condition vector c: the sampler's <see cref="IConditionalRealDataSampler.ConditionDimension"/>, or 0 for an unconditional GAN.</summary>
    public int ConditionDimension { get; }

    /// <summary>True when G receives [z, c] and D receives [x, c] (the real-data sampler is an <see cref="IConditionalRealDataSampler"/>).</summary>
    public bool IsConditional => ConditionDimension > 0;

    /// <summary>The source of the fake batch's conditions, or null when the fake batch reuses the real batch's conditions (or the GAN is unconditional).</summary>
    public IConditionSource? FakeConditions { get; }

    /// <summary>The settings.</summary>
    public GanOptions Options { get; }

    /// <summary>The objective <see cref="GanOptions.Objective"/> names: D's and G's losses and their gradients on D's logits.</summary>
    public AdversarialObjective Objective { get; }

    /// <summary>How many threads each step's products use, timed and chosen by the steps (<see cref="Gemm.AdaptiveParallelism"/>;
    /// step-breakdown prints its choice).</summary>
    internal StepThreadTuner ThreadTuner { get; } = new();

    /// <summary>Generator updates completed so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// One training step: one generator update, with one discriminator update (simultaneous) or
    /// <see cref="GanOptions.DiscriminatorSteps"/> of them before it (alternating).
    /// </summary>
    /// <returns>The losses and mean scores of the step.</returns>
    /// <exception cref="GanDivergenceException">A loss or weight became NaN or infinite; the step and quantity are named.
    /// A non-finite loss is caught before the update it would feed is applied: under <see cref="GanSchedule.Simultaneous"/>
    /// nothing of that step is applied; under <see cref="GanSchedule.Alternating"/> the discriminator updates of that step
    /// that came before it have been applied.</exception>
    /// <exception cref="InvalidOperationException">Under <see cref="GanSchedule.Simultaneous"/>, G and D share parameters
    /// and an optimizer has <see cref="Optimizers.Optimizer.GradientClipNorm"/> set.</exception>
    public GanStepMetrics Step()
    {
        // Both networks train in training mode: Dropout drops, BatchNorm uses (and updates) batch statistics.
        Generator.IsTraining = true;
        Discriminator.IsTraining = true;
        long step = StepCount + 1;
        ThreadTuner.Begin();
        try
        {
            GanStepMetrics metrics = Options.Schedule == GanSchedule.Simultaneous ? SimultaneousStep(step) : AlternatingStep(step);
            UpdateAverage(step);
            StepCount = step;
            return metrics;
        }
        finally
        {
            ThreadTuner.End();
        }
    }

    /// <summary>Runs <paramref name="steps"/> steps, reporting each, until done or cancelled.</summary>
    /// <param name="steps">How many steps to run (≥ 0).</param>
    /// <param name="onStep">Called after every step with its metrics, on the calling thread; may be null.</param>
    /// <param name="cancellationToken">Checked before each step; cancellation stops cleanly after a complete step and is reported in the result, not thrown.</param>
    /// <returns>How many steps ran, whether training was cancelled, and the last metrics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is negative.</exception>
    /// <exception cref="GanDivergenceException">Training diverged.</exception>
    /// <exception cref="InvalidOperationException">As <see cref="Step"/>: gradient clipping with parameters shared by G and D under the simultaneous schedule.</exception>
    public GanTrainingResult Train(long steps, Action<GanStepMetrics>? onStep = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        GanStepMetrics last = default;
        for (long i = 0; i < steps; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return new GanTrainingResult(i, true, last);
            }

            last = Step();
            onStep?.Invoke(last);
        }

        return new GanTrainingResult(steps, false, last);
    }

    /// <summary>
    /// Draws <paramref name="count"/> examples from G, in batches, with noise from the training generator
    /// <see cref="Random"/>: the draws advance the training stream, so training after this call differs from training
    /// without it. Use <see cref="Generate(int, RandomSource)"/> to leave the training stream untouched. Every Generate
    /// overload runs G — or, when <see cref="GanOptions.GeneratorEmaDecay"/> is above 0, G's moving average
    /// <see cref="AveragedGenerator"/> — in inference mode (Dropout off, BatchNorm on its running statistics) and restores its mode after.
    /// </summary>
    /// <param name="count">How many examples (≥ 1).</param>
    /// <returns>A new count × data-width matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The GAN is conditional: use <see cref="Generate(int, Matrix)"/>.</exception>
    public Matrix Generate(int count) => Generate(count, Random);

    /// <summary>
    /// Draws <paramref name="count"/> examples from G, in batches, with noise from <paramref name="random"/>. When
    /// <paramref name="random"/> is not <see cref="Random"/>, the training stream is untouched: a checkpoint saved
    /// after this call resumes exactly as one saved before it. <c>new RandomSource(gan.Random.GetState())</c> draws the
    /// same examples as <see cref="Generate(int)"/> would, without advancing training.
    /// </summary>
    /// <param name="count">How many examples (≥ 1).</param>
    /// <param name="random">The generator the noise is drawn from.</param>
    /// <returns>A new count × data-width matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The GAN is conditional: use <see cref="Generate(int, Matrix, RandomSource)"/>.</exception>
    public Matrix Generate(int count, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(random);
        if (IsConditional)
        {
            throw new InvalidOperationException($"This GAN is conditional (condition width {ConditionDimension}): G needs a condition for every example; call Generate(count, conditions) or Generate(count, conditions, random).");
        }

        return GenerateCore(count, null, random);
    }

    /// <summary>
    /// Draws <paramref name="count"/> examples from a conditional G, example i under condition row i of
    /// <paramref name="conditions"/> (or under its only row, for every example), with noise from the training
    /// generator <see cref="Random"/> (advancing it, as <see cref="Generate(int)"/> does).
    /// </summary>
    /// <param name="count">How many examples (≥ 1).</param>
    /// <param name="conditions">count rows, or one row shared by every example; width <see cref="ConditionDimension"/>.
    /// <see cref="CategoricalConditions.OneHot"/> encodes class labels.</param>
    /// <returns>A new count × data-width matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="conditions"/> is null.</exception>
    /// <exception cref="ArgumentException">The conditions have the wrong width, or neither 1 nor <paramref name="count"/> rows.</exception>
    /// <exception cref="InvalidOperationException">The GAN is not conditional.</exception>
    public Matrix Generate(int count, Matrix conditions) => Generate(count, conditions, Random);

    /// <summary>
    /// Draws <paramref name="count"/> examples from a conditional G, example i under condition row i of
    /// <paramref name="conditions"/> (or under its only row, for every example), with noise from
    /// <paramref name="random"/>; the training stream is untouched unless <paramref name="random"/> is <see cref="Random"/>.
    /// </summary>
    /// <param name="count">How many examples (≥ 1).</param>
    /// <param name="conditions">count rows, or one row shared by every example; width <see cref="ConditionDimension"/>.</param>
    /// <param name="random">The generator the noise is drawn from.</param>
    /// <returns>A new count × data-width matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="conditions"/> or <paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException">The conditions have the wrong width, or neither 1 nor <paramref name="count"/> rows.</exception>
    /// <exception cref="InvalidOperationException">The GAN is not conditional.</exception>
    public Matrix Generate(int count, Matrix conditions, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(random);
        if (!IsConditional)
        {
            throw new InvalidOperationException("This GAN is unconditional: its generator takes no conditions; call Generate(count) or Generate(count, random).");
        }

        if (conditions.Columns != ConditionDimension)
        {
            throw new ArgumentException($"The conditions have width {conditions.Columns}; this GAN's condition width is {ConditionDimension}.", nameof(conditions));
        }

        if (conditions.Rows != count && conditions.Rows != 1)
        {
            throw new ArgumentException($"The conditions have {conditions.Rows} rows; give one per example ({count}) or a single row for all.", nameof(conditions));
        }

        return GenerateCore(count, conditions, random);
    }

    private Matrix GenerateCore(int count, Matrix? conditions, RandomSource random)
    {
        // G generates in inference mode (Dropout off, BatchNorm on its running statistics), so a sample does not
        // depend on the others in its chunk; the previous mode is restored afterwards.
        Sequential generator = SamplingGenerator;
        bool wasTraining = generator.IsTraining;
        generator.IsTraining = false;
        try
        {
            return GenerateInference(generator, count, conditions, random);
        }
        finally
        {
            generator.IsTraining = wasTraining;
        }
    }

    private Matrix GenerateInference(Sequential generator, int count, Matrix? conditions, RandomSource random)
    {
        var result = new Matrix(count, generator.OutputSize);
        int batch = Buffers.Noise.Rows;
        for (int start = 0; start < count; start += batch)
        {
            int rows = Math.Min(batch, count - start);
            Matrix z = rows == batch ? Buffers.Noise : Buffers.Noise.View(rows);
            Noise.Fill(z, random);
            Matrix input = z;
            if (conditions is not null)
            {
                input = rows == batch ? Buffers.GeneratorInput! : Buffers.GeneratorInput!.View(rows);
                z.CopyTo(input.Slice(0, 0, rows, z.Columns));
                Matrix c = input.Slice(0, z.Columns, rows, ConditionDimension);
                for (int i = 0; i < rows; i++)
                {
                    conditions.Row(conditions.Rows == 1 ? 0 : start + i).CopyTo(c.Row(i));
                }
            }

            generator.Forward(input).CopyTo(result.Slice(start, 0, rows, result.Columns));
        }

        return result;
    }
}
