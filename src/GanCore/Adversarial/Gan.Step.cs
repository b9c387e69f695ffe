using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>One training step under the simultaneous or the alternating schedule; the losses on D's logits come from <see cref="Objective"/>.</summary>
/// <remarks>
/// A conditional GAN concatenates in buffers it owns: G's input [z, c] and D's inputs [x, c] and [G(z, c), c]. D's
/// input gradient splits at the concatenation: its first data-width columns flow back into G; the condition columns
/// get no gradient, since c is data, not something upstream that learns. With packing (m &gt; 1) D's inputs are the packed
/// copies of these batches and "batch" below counts D's rows, BatchSize/m (see Gan.Packing.cs).
/// </remarks>
public sealed partial class Gan
{
    private GanStepMetrics SimultaneousStep(long step)
    {
        if (_parametersShared && (DiscriminatorOptimizer.GradientClipNorm is not null || GeneratorOptimizer.GradientClipNorm is not null))
        {
            // Both optimizers step on the shared gradient buffers: D's clipping would scale what G's then measures.
            throw new InvalidOperationException("GradientClipNorm is set on an optimizer of a GAN whose generator and discriminator share parameters; under the simultaneous schedule both optimizers would scale the shared gradients. Use the alternating schedule, or turn clipping off.");
        }

        int batch = PackedRows; // D's rows: the batch, or its BatchSize/m packed sets of m examples
        Matrix realInput = DrawRealBatch();
        Matrix generatorInput = DrawGeneratorInput();
        Generator.ZeroGradients();
        Discriminator.ZeroGradients();
        Matrix fake = Generator.Forward(generatorInput);

        // D on the real batch: its loss term and gradient.
        Matrix realLogits = Discriminator.Forward(realInput);
        double realLoss = Objective.DiscriminatorRealTerm(realLogits.Span[..batch], Options.RealLabel, Buffers.GradientReal.Span, out double realScore);
        BackwardParameters(Discriminator, Buffers.GradientReal, last: !R1Due(step - 1)); // R1 reads this forward pass again
        double r1 = 0;
        ApplyR1(step, step - 1, ref r1);

        // D on the fake batch: one forward pass serves D's gradient and G's gradient.
        Matrix fakeInput = FakeInput(fake);
        Matrix fakeLogits = Discriminator.Forward(fakeInput);
        Objective.FakeTerms(fakeLogits.Span[..batch], Buffers.GradientFake.Span, Buffers.GradientGenerator.Span, out double fakeLoss, out double fakeScore, out double generatorLoss);
        double discriminatorLoss = realLoss + fakeLoss;
        CheckLoss(step, "discriminator loss", discriminatorLoss);
        CheckLoss(step, "generator loss", generatorLoss);
        if (Objective.GeneratorGradientNegatesDiscriminatorFake && Discriminator.PrefersOneBackwardPass)
        {
            // G's output gradient is −(D's fake gradient) value by value, so D's input gradient from its own pass on the
            // fake batch, negated, is G's gradient through D bit for bit: one backward pass through D instead of two.
            Matrix gradientFakeInput = ExampleGradient(Discriminator.BackwardLast(Buffers.GradientFake, ParameterGradients.Accumulate, needInputGradient: true)!);
            Negate(gradientFakeInput);
            BackwardParameters(Generator, gradientFakeInput, last: true);
        }
        else
        {
            Discriminator.BackwardParameters(Buffers.GradientFake);
            Matrix gradientFakeInput = Discriminator.BackwardLast(Buffers.GradientGenerator, ParameterGradients.Skip, needInputGradient: true)!;
            BackwardParameters(Generator, ExampleGradient(gradientFakeInput), last: true);
        }

        // WGAN-GP: D's third forward pass, on the interpolates; G's gradient through D is already taken.
        double gradientPenalty = 0;
        ApplyGradientPenalty(step, realInput, fakeInput, ref gradientPenalty);
        DiscriminatorOptimizer.Step();
        GeneratorOptimizer.Step();
        CheckParameters(step, "discriminator", Discriminator, DiscriminatorOptimizer);
        CheckParameters(step, "generator", Generator, GeneratorOptimizer);
        return new GanStepMetrics(step, (float)discriminatorLoss, (float)generatorLoss, (float)realScore, (float)fakeScore) { R1Penalty = (float)r1, GradientPenalty = (float)gradientPenalty };
    }

    private GanStepMetrics AlternatingStep(long step)
    {
        int batch = PackedRows; // D's rows: the batch, or its BatchSize/m packed sets of m examples
        double discriminatorLoss = 0;
        double r1 = 0;
        double gradientPenalty = 0;
        double realScore = 0;
        double fakeScore = 0;
        for (int k = 0; k < Options.DiscriminatorSteps; k++)
        {
            Matrix realInput = DrawRealBatch();
            Matrix generatorInputForD = DrawGeneratorInput();
            Discriminator.ZeroGradients();
            Matrix fakeForD = Generator.Forward(generatorInputForD);
            Matrix realLogits = Discriminator.Forward(realInput);
            double realLoss = Objective.DiscriminatorRealTerm(realLogits.Span[..batch], Options.RealLabel, Buffers.GradientReal.Span, out realScore);
            long update = ((step - 1) * Options.DiscriminatorSteps) + k;
            BackwardParameters(Discriminator, Buffers.GradientReal, last: !R1Due(update));
            ApplyR1(step, update, ref r1);
            Matrix fakeInputForD = FakeInput(fakeForD);
            Matrix fakeLogitsForD = Discriminator.Forward(fakeInputForD);
            Objective.FakeTerms(fakeLogitsForD.Span[..batch], Buffers.GradientFake.Span, [], out double fakeLoss, out fakeScore, out _);
            discriminatorLoss = realLoss + fakeLoss;
            CheckLoss(step, "discriminator loss", discriminatorLoss);
            BackwardParameters(Discriminator, Buffers.GradientFake, last: true);
            ApplyGradientPenalty(step, realInput, fakeInputForD, ref gradientPenalty);
            DiscriminatorOptimizer.Step();
            CheckParameters(step, "discriminator", Discriminator, DiscriminatorOptimizer);
        }

        // G's batch: fresh noise; when conditional, the conditions of the last real batch (or fresh ones from the condition source).
        Matrix generatorInput = DrawGeneratorInput();
        Generator.ZeroGradients();
        Matrix fake = Generator.Forward(generatorInput);
        Matrix fakeLogits = Discriminator.Forward(FakeInput(fake));
        Objective.FakeTerms(fakeLogits.Span[..batch], [], Buffers.GradientGenerator.Span, out _, out _, out double generatorLoss);
        CheckLoss(step, "generator loss", generatorLoss);
        Matrix gradientFakeInput = Discriminator.BackwardLast(Buffers.GradientGenerator, ParameterGradients.Skip, needInputGradient: true)!;
        BackwardParameters(Generator, ExampleGradient(gradientFakeInput), last: true);
        GeneratorOptimizer.Step();
        CheckParameters(step, "generator", Generator, GeneratorOptimizer);
        return new GanStepMetrics(step, (float)discriminatorLoss, (float)generatorLoss, (float)realScore, (float)fakeScore) { R1Penalty = (float)r1, GradientPenalty = (float)gradientPenalty };
    }

    /// <summary>Draws a real batch (with its conditions when conditional) and returns D's input: x, or [x, c].</summary>
    private Matrix DrawRealBatch()
    {
        StepBuffers b = Buffers;
        if (_conditionalData is null)
        {
            RealData.Fill(b.Real, Random);
            return Pack(b.Real, b.PackedReal);
        }

        _conditionalData.Fill(b.Real, b.RealConditions!, Random);
        b.Real.CopyTo(b.RealInputExamples!);
        b.RealConditions!.CopyTo(b.RealInputConditions!);
        return Pack(b.RealInput!, b.PackedReal);
    }

    /// <summary>
    /// Draws the noise (and, when conditional, the fake batch's conditions: from <see cref="FakeConditions"/>, or the
    /// last real batch's) and returns G's input: z, or [z, c]. The conditions are also written into D's fake input.
    /// </summary>
    private Matrix DrawGeneratorInput()
    {
        StepBuffers b = Buffers;
        Noise.Fill(b.Noise, Random);
        if (_conditionalData is null)
        {
            return b.Noise;
        }

        Matrix conditions = b.RealConditions!;
        if (FakeConditions is not null)
        {
            FakeConditions.Fill(b.FakeConditions!, Random);
            conditions = b.FakeConditions!;
        }

        b.Noise.CopyTo(b.GeneratorInputNoise!);
        conditions.CopyTo(b.GeneratorInputConditions!);
        conditions.CopyTo(b.FakeInputConditions!);
        return b.GeneratorInput!;
    }

    /// <summary>D's input for the fake batch: G's output, or [G(z, c), c] with the conditions <see cref="DrawGeneratorInput"/> wrote.</summary>
    private Matrix FakeInput(Matrix fake)
    {
        StepBuffers b = Buffers;
        if (_conditionalData is null)
        {
            return Pack(fake, b.PackedFake);
        }

        fake.CopyTo(b.FakeInputExamples!);
        return Pack(b.FakeInput!, b.PackedFake);
    }

    /// <summary>
    /// The parameter gradients of <paramref name="model"/> for its last forward pass. With <paramref name="last"/>, the
    /// step promises no other backward pass on that forward pass, so its hidden activations' outputs may be overwritten
    /// on the way (<see cref="Sequential.BackwardLast"/>: the same bits, less memory traffic).
    /// </summary>
    private static void BackwardParameters(Sequential model, Matrix gradientOutput, bool last)
    {
        if (last)
        {
            model.BackwardLast(gradientOutput, ParameterGradients.Accumulate, needInputGradient: false);
        }
        else
        {
            model.BackwardParameters(gradientOutput);
        }
    }

    /// <summary>g ← −g, element by element (exact), row by row when the rows have gaps.</summary>
    private static void Negate(Matrix g)
    {
        if (g.IsContiguous)
        {
            Elementwise.Scale(-1f, g.Span);
            return;
        }

        for (int i = 0; i < g.Rows; i++)
        {
            Elementwise.Scale(-1f, g.Row(i));
        }
    }

    /// <summary>The part of dL/d(D's input) that belongs to the examples: all of it, or its first data-width columns when conditional (c gets no gradient).</summary>
    private Matrix ExampleGradient(Matrix gradientInput)
    {
        StepBuffers b = Buffers;
        if (b.PackedFake is not null)
        {
            return UnpackExampleGradient(gradientInput, b.GradientExamples!);
        }

        if (_conditionalData is null)
        {
            return gradientInput;
        }

        Matrix destination = b.GradientExamples!;
        int width = destination.Columns;
        for (int i = 0; i < destination.Rows; i++)
        {
            gradientInput.Row(i)[..width].CopyTo(destination.Row(i));
        }

        return destination;
    }

    private StepBuffers Buffers => _buffers ??= new StepBuffers(Options.BatchSize, Noise.Dimension, RealData.Dimension, ConditionDimension, Options.PackingDegree);

    /// <summary>The per-step batch buffers, reused by every step; the concatenation buffers (and their column views) exist only when conditional, the packed ones only when packing.</summary>
    private sealed class StepBuffers
    {
        public StepBuffers(int batch, int noiseDimension, int dataDimension, int conditionDimension, int packing)
        {
            Noise = new Matrix(batch, noiseDimension);
            Real = new Matrix(batch, dataDimension);

            // D's logits and their gradients: one row per packed set of `packing` examples.
            GradientReal = new Matrix(batch / packing, 1);
            GradientFake = new Matrix(batch / packing, 1);
            GradientGenerator = new Matrix(batch / packing, 1);
            if (packing > 1)
            {
                PackedReal = new Matrix(batch / packing, packing * (dataDimension + conditionDimension));
                PackedFake = new Matrix(batch / packing, packing * (dataDimension + conditionDimension));
                GradientExamples = new Matrix(batch, dataDimension);
            }

            if (conditionDimension == 0)
            {
                return;
            }

            RealConditions = new Matrix(batch, conditionDimension);
            FakeConditions = new Matrix(batch, conditionDimension);
            GeneratorInput = new Matrix(batch, noiseDimension + conditionDimension);
            GeneratorInputNoise = GeneratorInput.Slice(0, 0, batch, noiseDimension);
            GeneratorInputConditions = GeneratorInput.Slice(0, noiseDimension, batch, conditionDimension);
            RealInput = new Matrix(batch, dataDimension + conditionDimension);
            RealInputExamples = RealInput.Slice(0, 0, batch, dataDimension);
            RealInputConditions = RealInput.Slice(0, dataDimension, batch, conditionDimension);
            FakeInput = new Matrix(batch, dataDimension + conditionDimension);
            FakeInputExamples = FakeInput.Slice(0, 0, batch, dataDimension);
            FakeInputConditions = FakeInput.Slice(0, dataDimension, batch, conditionDimension);
            GradientExamples ??= new Matrix(batch, dataDimension);
        }

        public Matrix Noise { get; }

        public Matrix Real { get; }

        public Matrix GradientReal { get; }

        public Matrix GradientFake { get; }

        public Matrix GradientGenerator { get; }

        public Matrix? RealConditions { get; }

        public Matrix? FakeConditions { get; }

        public Matrix? GeneratorInput { get; }

        public Matrix? GeneratorInputNoise { get; }

        public Matrix? GeneratorInputConditions { get; }

        public Matrix? RealInput { get; }

        public Matrix? RealInputExamples { get; }

        public Matrix? RealInputConditions { get; }

        public Matrix? FakeInput { get; }

        public Matrix? FakeInputExamples { get; }

        public Matrix? FakeInputConditions { get; }

        public Matrix? GradientExamples { get; }

        /// <summary>D's packed real input, (batch/m) × m·(data + condition width), when packing (m &gt; 1).</summary>
        public Matrix? PackedReal { get; }

        /// <summary>D's packed fake input, the same shape, when packing.</summary>
        public Matrix? PackedFake { get; }
    }
}
