using GanCore.Checkpoints;
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
/// <para>D outputs logits; the sigmoid lives inside the objective's numerically stable BCE-from-logits and in the
/// metrics. The generator's gradient flows through D with D's parameter gradients skipped
/// (<see cref="ParameterGradients.Skip"/>), so a generator update neither changes D's weights nor adds anything to
/// D's gradient buffers.</para>
/// <para>All randomness — noise, real batches — comes from the one <see cref="RandomSource"/> given, so a
/// checkpoint that saves its state resumes bit for bit. A steady-state <see cref="Step"/> allocates nothing.
/// An instance is not thread-safe; independent instances share no state and may train on different threads.</para>
/// </remarks>
public sealed class Gan
{
    private const string StateSection = "gan/state";

    // The batch buffers are made on first use, not in the constructor: a checkpoint may store any batch size up to
    // 2^20, and loading one must not allocate more than the file's size justifies.
    private StepBuffers? _buffers;

    /// <summary>Assembles a GAN from its parts.</summary>
    /// <param name="generator">G: input width = the noise dimension, output width = the data dimension.</param>
    /// <param name="discriminator">D: input width = the data dimension, output width 1 (a logit; no final sigmoid).</param>
    /// <param name="generatorOptimizer">An optimizer over exactly G's parameters.</param>
    /// <param name="discriminatorOptimizer">An optimizer over exactly D's parameters.</param>
    /// <param name="noise">The latent prior p_z.</param>
    /// <param name="realData">The real-data sampler p_data.</param>
    /// <param name="random">The generator of all randomness in training.</param>
    /// <param name="options">The objective, schedule and batch settings; the seed's defaults when null.</param>
    /// <exception cref="ArgumentNullException">A part is null.</exception>
    /// <exception cref="ArgumentException">The widths of G, D, the noise and the data do not fit together, D's output is not 1 wide, or an optimizer is not over its network's parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public Gan(Sequential generator, Sequential discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer, INoiseSource noise, IRealDataSampler realData, RandomSource random, GanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(discriminator);
        ArgumentNullException.ThrowIfNull(generatorOptimizer);
        ArgumentNullException.ThrowIfNull(discriminatorOptimizer);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(realData);
        ArgumentNullException.ThrowIfNull(random);
        options ??= new GanOptions();
        options.Validate();
        if (ReferenceEquals(generator, discriminator))
        {
            throw new ArgumentException("The generator and the discriminator must be different models.", nameof(discriminator));
        }

        if (noise.Dimension != generator.InputSize)
        {
            throw new ArgumentException($"The noise has dimension {noise.Dimension} but the generator [{generator.Describe()}] takes input width {generator.InputSize}.", nameof(noise));
        }

        if (generator.OutputSize != discriminator.InputSize)
        {
            throw new ArgumentException($"The generator produces width {generator.OutputSize} but the discriminator [{discriminator.Describe()}] takes width {discriminator.InputSize}.", nameof(discriminator));
        }

        if (discriminator.OutputSize != 1)
        {
            throw new ArgumentException($"The discriminator must output one logit per example; [{discriminator.Describe()}] outputs width {discriminator.OutputSize}.", nameof(discriminator));
        }

        if (realData.Dimension != discriminator.InputSize)
        {
            throw new ArgumentException($"The real data has dimension {realData.Dimension} but the discriminator takes width {discriminator.InputSize}.", nameof(realData));
        }

        if (!generatorOptimizer.Parameters.SequenceEqual(generator.Parameters))
        {
            throw new ArgumentException("The generator optimizer does not update exactly the generator's parameters.", nameof(generatorOptimizer));
        }

        if (!discriminatorOptimizer.Parameters.SequenceEqual(discriminator.Parameters))
        {
            throw new ArgumentException("The discriminator optimizer does not update exactly the discriminator's parameters.", nameof(discriminatorOptimizer));
        }

        Generator = generator;
        Discriminator = discriminator;
        GeneratorOptimizer = generatorOptimizer;
        DiscriminatorOptimizer = discriminatorOptimizer;
        Noise = noise;
        RealData = realData;
        Random = random;
        Options = options;
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

    /// <summary>The settings.</summary>
    public GanOptions Options { get; }

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
    public GanStepMetrics Step()
    {
        long step = StepCount + 1;
        GanStepMetrics metrics = Options.Schedule == GanSchedule.Simultaneous ? SimultaneousStep(step) : AlternatingStep(step);
        StepCount = step;
        return metrics;
    }

    /// <summary>Runs <paramref name="steps"/> steps, reporting each, until done or cancelled.</summary>
    /// <param name="steps">How many steps to run (≥ 0).</param>
    /// <param name="onStep">Called after every step with its metrics, on the calling thread; may be null.</param>
    /// <param name="cancellationToken">Checked before each step; cancellation stops cleanly after a complete step and is reported in the result, not thrown.</param>
    /// <returns>How many steps ran, whether training was cancelled, and the last metrics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is negative.</exception>
    /// <exception cref="GanDivergenceException">Training diverged.</exception>
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

    /// <summary>Draws <paramref name="count"/> examples from G, in batches, using fresh noise from <see cref="Random"/>.</summary>
    /// <param name="count">How many examples (≥ 1).</param>
    /// <returns>A new count × data-width matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public Matrix Generate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var result = new Matrix(count, Generator.OutputSize);
        for (int start = 0; start < count; start += Buffers.Noise.Rows)
        {
            int rows = Math.Min(Buffers.Noise.Rows, count - start);
            Matrix z = rows == Buffers.Noise.Rows ? Buffers.Noise : Buffers.Noise.View(rows);
            Noise.Fill(z, Random);
            Generator.Forward(z).CopyTo(result.Slice(start, 0, rows, result.Columns));
        }

        return result;
    }

    /// <summary>
    /// Saves the whole training state — both networks, both optimizers, the random generator, the options and the
    /// step count — atomically, in the sectioned checkpoint format. <see cref="LoadCheckpoint"/> resumes it bit for bit.
    /// </summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var state = new PayloadWriter();
        state.Write((byte)Options.Objective);
        state.Write((byte)Options.Schedule);
        state.Write(Options.DiscriminatorSteps);
        state.Write(Options.BatchSize);
        state.Write(Options.RealLabel);
        state.Write(StepCount);
        byte[] bytes = CheckpointFile.Build(
        [
            ("generator/architecture", ModelCodec.WriteArchitecture(Generator)),
            ("generator/parameters", ModelCodec.WriteParameters(Generator)),
            ("generator/optimizer", ModelCodec.WriteOptimizer(GeneratorOptimizer)),
            ("discriminator/architecture", ModelCodec.WriteArchitecture(Discriminator)),
            ("discriminator/parameters", ModelCodec.WriteParameters(Discriminator)),
            ("discriminator/optimizer", ModelCodec.WriteOptimizer(DiscriminatorOptimizer)),
            (ModelCheckpoint.RandomSection, ModelCodec.WriteRandom(Random.GetState())),
            (StateSection, state.ToArray()),
        ]);
        CheckpointFile.WriteAtomic(path, stream => stream.Write(bytes));
    }

    /// <summary>Saves G alone as a plain model checkpoint (readable by <see cref="ModelCheckpoint.Load"/>).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveGenerator(string path) => ModelCheckpoint.Save(path, Generator);

    /// <summary>Saves D alone as a plain model checkpoint.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveDiscriminator(string path) => ModelCheckpoint.Save(path, Discriminator);

    /// <summary>Restores a GAN saved by <see cref="SaveCheckpoint"/>, ready to continue training exactly where it stopped.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="noise">The latent prior (not stored in the file; pass the one used before).</param>
    /// <param name="realData">The real-data sampler (not stored in the file).</param>
    /// <returns>The restored GAN.</returns>
    /// <exception cref="CheckpointException">The file is truncated, corrupted, of another version, or not a GAN checkpoint.</exception>
    /// <exception cref="ArgumentException">The noise or data dimensions do not fit the stored networks.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Gan LoadCheckpoint(string path, INoiseSource noise, IRealDataSampler realData)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(realData);
        return Deserialize(CheckpointFile.ReadFile(path), path, noise, realData);
    }

    /// <summary>Restores a GAN from the bytes of a checkpoint file; <paramref name="path"/> names the source in errors.</summary>
    internal static Gan Deserialize(byte[] file, string path, INoiseSource noise, IRealDataSampler realData)
    {
        Dictionary<string, CheckpointFile.Section> sections = CheckpointFile.Parse(file, path);
        Sequential generator = ModelCodec.ReadModel(ModelCodec.Require(sections, "generator/architecture", path), ModelCodec.Require(sections, "generator/parameters", path));
        Sequential discriminator = ModelCodec.ReadModel(ModelCodec.Require(sections, "discriminator/architecture", path), ModelCodec.Require(sections, "discriminator/parameters", path));
        Optimizer generatorOptimizer = ModelCodec.ReadOptimizer(ModelCodec.Require(sections, "generator/optimizer", path), generator);
        Optimizer discriminatorOptimizer = ModelCodec.ReadOptimizer(ModelCodec.Require(sections, "discriminator/optimizer", path), discriminator);
        var random = new RandomSource(ModelCodec.ReadRandom(ModelCodec.Require(sections, ModelCheckpoint.RandomSection, path)));
        PayloadReader r = ModelCodec.Require(sections, StateSection, path).Reader();
        long at = r.Offset;
        var options = new GanOptions
        {
            Objective = (GanObjective)r.ReadByte(),
            Schedule = (GanSchedule)r.ReadByte(),
            DiscriminatorSteps = r.ReadInt32(1, 1_000_000, "the discriminator steps"),
            BatchSize = r.ReadInt32(1, 1 << 20, "the batch size"),
            RealLabel = r.ReadSingle(),
        };
        long steps = r.ReadInt64();
        r.ExpectEnd();
        try
        {
            options.Validate();
            ArgumentOutOfRangeException.ThrowIfNegative(steps);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CheckpointException(path, at, StateSection, $"the stored GAN settings are invalid: {e.Message}");
        }

        // The two networks must fit each other whatever noise and data the caller brings: a file where they do not is
        // damaged (e.g. swapped sections), not a caller error.
        if (generator.OutputSize != discriminator.InputSize || discriminator.OutputSize != 1)
        {
            throw new CheckpointException(path, -1, null, $"the stored networks do not fit together: the generator [{generator.Describe()}] feeds a discriminator [{discriminator.Describe()}], which must take width {generator.OutputSize} and output width 1");
        }

        return new Gan(generator, discriminator, generatorOptimizer, discriminatorOptimizer, noise, realData, random, options) { StepCount = steps };
    }

    private GanStepMetrics SimultaneousStep(long step)
    {
        int batch = Options.BatchSize;
        RealData.Fill(Buffers.Real, Random);
        Noise.Fill(Buffers.Noise, Random);
        Generator.ZeroGradients();
        Discriminator.ZeroGradients();
        Matrix fake = Generator.Forward(Buffers.Noise);

        // D on the real batch: its loss term and gradient.
        Matrix realLogits = Discriminator.Forward(Buffers.Real);
        double realLoss = RealTerm(realLogits.Span, Buffers.GradientReal.Span, batch, out double realScore);
        Discriminator.BackwardParameters(Buffers.GradientReal);

        // D on the fake batch: one forward pass serves D's gradient and G's gradient.
        Matrix fakeLogits = Discriminator.Forward(fake);
        FakeTerms(fakeLogits.Span, Buffers.GradientFake.Span, Buffers.GradientGenerator.Span, batch, out double fakeLoss, out double fakeScore, out double generatorLoss);
        double discriminatorLoss = realLoss + fakeLoss;
        CheckLoss(step, "discriminator loss", discriminatorLoss);
        CheckLoss(step, "generator loss", generatorLoss);
        Discriminator.BackwardParameters(Buffers.GradientFake);
        Matrix gradientFakeInput = Discriminator.Backward(Buffers.GradientGenerator, ParameterGradients.Skip);
        Generator.BackwardParameters(gradientFakeInput);

        DiscriminatorOptimizer.Step();
        GeneratorOptimizer.Step();
        CheckParameters(step, "discriminator", Discriminator);
        CheckParameters(step, "generator", Generator);
        return new GanStepMetrics(step, (float)discriminatorLoss, (float)generatorLoss, (float)realScore, (float)fakeScore);
    }

    private GanStepMetrics AlternatingStep(long step)
    {
        int batch = Options.BatchSize;
        double discriminatorLoss = 0;
        double realScore = 0;
        double fakeScore = 0;
        for (int k = 0; k < Options.DiscriminatorSteps; k++)
        {
            RealData.Fill(Buffers.Real, Random);
            Noise.Fill(Buffers.Noise, Random);
            Discriminator.ZeroGradients();
            Matrix fakeForD = Generator.Forward(Buffers.Noise);
            Matrix realLogits = Discriminator.Forward(Buffers.Real);
            double realLoss = RealTerm(realLogits.Span, Buffers.GradientReal.Span, batch, out realScore);
            Discriminator.BackwardParameters(Buffers.GradientReal);
            Matrix fakeLogitsForD = Discriminator.Forward(fakeForD);
            FakeTerms(fakeLogitsForD.Span, Buffers.GradientFake.Span, [], batch, out double fakeLoss, out fakeScore, out _);
            discriminatorLoss = realLoss + fakeLoss;
            CheckLoss(step, "discriminator loss", discriminatorLoss);
            Discriminator.BackwardParameters(Buffers.GradientFake);
            DiscriminatorOptimizer.Step();
            CheckParameters(step, "discriminator", Discriminator);
        }

        Noise.Fill(Buffers.Noise, Random);
        Generator.ZeroGradients();
        Matrix fake = Generator.Forward(Buffers.Noise);
        Matrix fakeLogits = Discriminator.Forward(fake);
        FakeTerms(fakeLogits.Span, [], Buffers.GradientGenerator.Span, batch, out _, out _, out double generatorLoss);
        CheckLoss(step, "generator loss", generatorLoss);
        Matrix gradientFakeInput = Discriminator.Backward(Buffers.GradientGenerator, ParameterGradients.Skip);
        Generator.BackwardParameters(gradientFakeInput);
        GeneratorOptimizer.Step();
        CheckParameters(step, "generator", Generator);
        return new GanStepMetrics(step, (float)discriminatorLoss, (float)generatorLoss, (float)realScore, (float)fakeScore);
    }

    /// <summary>D's loss on real logits: mean BCE(l, t) = mean(softplus(l) − t·l), or ½·mean((l − t)²) for least squares. Writes dLoss/dl.</summary>
    private double RealTerm(ReadOnlySpan<float> logits, Span<float> gradient, int batch, out double meanScore)
    {
        float t = Options.RealLabel;
        float inverse = 1f / batch;
        double loss = 0;
        double score = 0;
        for (int i = 0; i < batch; i++)
        {
            float l = logits[i];
            if (Options.Objective == GanObjective.LeastSquares)
            {
                float d = l - t;
                loss += 0.5 * d * d;
                gradient[i] = d * inverse;
                score += l;
            }
            else
            {
                (float sigmoid, float softplus) = Logistic(l);
                loss += softplus - (t * l);
                gradient[i] = (sigmoid - t) * inverse;
                score += sigmoid;
            }
        }

        meanScore = score / batch;
        return loss / batch;
    }

    /// <summary>
    /// Both losses on one batch of fake logits, with σ and softplus computed once per logit. D's term (target 0) is
    /// mean softplus(l), or ½·mean(l²) for least squares. G's term is minimax mean(log(1 − σ(l))) = −mean softplus(l),
    /// non-saturating −mean(log σ(l)) = mean softplus(−l), or least squares ½·mean((l − 1)²). Writes dLoss/dl into each
    /// gradient span that is not empty; a term whose span is empty is neither written nor needed.
    /// </summary>
    private void FakeTerms(ReadOnlySpan<float> logits, Span<float> discriminatorGradient, Span<float> generatorGradient, int batch, out double discriminatorLoss, out double meanScore, out double generatorLoss)
    {
        float inverse = 1f / batch;
        bool forD = !discriminatorGradient.IsEmpty;
        bool forG = !generatorGradient.IsEmpty;
        double lossD = 0;
        double score = 0;
        double lossG = 0;
        for (int i = 0; i < batch; i++)
        {
            float l = logits[i];
            if (Options.Objective == GanObjective.LeastSquares)
            {
                if (forD)
                {
                    lossD += 0.5 * l * l;
                    discriminatorGradient[i] = l * inverse;
                    score += l;
                }

                if (forG)
                {
                    float d = l - 1f;
                    lossG += 0.5 * d * d;
                    generatorGradient[i] = d * inverse;
                }

                continue;
            }

            (float sigmoid, float softplus) = Logistic(l);
            if (forD)
            {
                lossD += softplus;
                discriminatorGradient[i] = sigmoid * inverse;
                score += sigmoid;
            }

            if (forG && Options.Objective == GanObjective.Minimax)
            {
                lossG -= softplus;
                generatorGradient[i] = -sigmoid * inverse;
            }
            else if (forG)
            {
                lossG += softplus - l; // softplus(−l) = softplus(l) − l
                generatorGradient[i] = (sigmoid - 1f) * inverse;
            }
        }

        discriminatorLoss = lossD / batch;
        meanScore = score / batch;
        generatorLoss = lossG / batch;
    }

    /// <summary>σ(l) and softplus(l) = log(1 + e^l) from one e^(−|l|), stable for any finite l.</summary>
    private static (float Sigmoid, float Softplus) Logistic(float l)
    {
        float e = MathF.Exp(-MathF.Abs(l));
        float sigmoid = l >= 0f ? 1f / (1f + e) : e / (1f + e);
        float softplus = MathF.Max(l, 0f) + float.LogP1(e);
        return (sigmoid, softplus);
    }

    private static void CheckLoss(long step, string quantity, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new GanDivergenceException(step, quantity, value);
        }
    }

    private static void CheckParameters(long step, string network, Sequential model)
    {
        // Index loops: enumerating IReadOnlyList through its interface would allocate on every step.
        IReadOnlyList<Layer> layers = model.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            IReadOnlyList<Parameter> parameters = layers[l].Parameters;
            for (int p = 0; p < parameters.Count; p++)
            {
                ReadOnlySpan<float> values = parameters[p].Value.Span;

                // x·x is finite for every finite x below ~1.8e19; the scan below finds the culprit only when needed.
                if (float.IsFinite(Elementwise.Dot(values, values)))
                {
                    continue;
                }

                for (int i = 0; i < values.Length; i++)
                {
                    if (!float.IsFinite(values[i]))
                    {
                        throw new GanDivergenceException(step, $"{network} parameter {layers[l].Name}.{parameters[p].Name}[{i}]", values[i]);
                    }
                }
            }
        }
    }

    private StepBuffers Buffers => _buffers ??= new StepBuffers(Options.BatchSize, Noise.Dimension, RealData.Dimension);

    /// <summary>The per-step batch buffers, reused by every step.</summary>
    private sealed class StepBuffers(int batch, int noiseDimension, int dataDimension)
    {
        public Matrix Noise { get; } = new(batch, noiseDimension);

        public Matrix Real { get; } = new(batch, dataDimension);

        public Matrix GradientReal { get; } = new(batch, 1);

        public Matrix GradientFake { get; } = new(batch, 1);

        public Matrix GradientGenerator { get; } = new(batch, 1);
    }
}
