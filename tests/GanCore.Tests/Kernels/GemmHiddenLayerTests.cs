using FluentAssertions;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Kernels;

/// <summary>
/// The first dense layer's dW1 and db1 with the gradient G = f'(H) ⊙ (dY·W2ᵀ) made a chunk of rows at a time
/// (<see cref="Gemm.TryHiddenLayerGradients"/>), against G stored whole by the fused activation-gradient product and
/// then <see cref="Gemm.WeightAndBiasGradients"/>: bit for bit, at every width, chunk height and tail. Every test
/// runs with <see cref="Gemm.MaxDegreeOfParallelism"/> pinned to one thread (the chunked paths decline a product that
/// would be split, and where that starts depends on the host's L1d: a batch of 256 with 128 hidden units and 15 outputs
/// splits on an L1d of up to 64 KB), so the class runs with the other process-wide GEMM settings.
/// </summary>
[Collection(GemmGlobalStateGroup.Name)]
public sealed class GemmHiddenLayerTests : IDisposable
{
    private readonly int _threads = Gemm.MaxDegreeOfParallelism;

    public GemmHiddenLayerTests() => Gemm.MaxDegreeOfParallelism = 1;

    public void Dispose() => Gemm.MaxDegreeOfParallelism = _threads;

    [Fact]
    public void Chunked_gradients_equal_the_stored_gradient_path_bitwise()
    {
        var random = new RandomSource(31);
        Activation[] activations = [Activation.ReLU, Activation.LeakyReLU, Activation.Tanh, Activation.Sigmoid];

        // (batch, chunk): one row; chunks that leave a short last chunk; the host's chunk (-1); one row per chunk.
        int[][] batches = [[1, -1], [7, 3], [64, -1], [100, 8], [33, 1]];
        int cases = 0;
        foreach (VectorWidth width in GemmWidths.All())
        {
            foreach (Activation activation in activations)
            {
                foreach (int inputs in new[] { 1, 5, 15, 16 })
                {
                    foreach (int hidden in new[] { 16, 17, 33, 130 })
                    {
                        foreach (int outputs in new[] { 1, 15, 17 })
                        {
                            foreach (int[] bc in batches)
                            {
                                Check(random, width, activation, bc[0], inputs, hidden, outputs, bc[1]);
                                cases++;
                            }
                        }
                    }
                }
            }
        }

        cases.Should().Be(GemmWidths.All().Count() * 4 * 4 * 4 * 3 * 5);
    }

    [Fact]
    public void Narrow_hidden_layers_and_few_inputs_at_every_tail()
    {
        // Every hidden width from 2 to 40 crosses each vector width's tails; inputs up to 16 (all 17 accumulator rows).
        var random = new RandomSource(32);
        foreach (VectorWidth width in GemmWidths.All())
        {
            for (int hidden = 2; hidden <= 40; hidden++)
            {
                Check(random, width, Activation.ReLU, batch: 9, inputs: Math.Min(hidden, 16), hidden, outputs: 1 + (hidden % 16), chunk: 4);
                Check(random, width, Activation.ReLU, batch: 5, inputs: 1, hidden, outputs: 1, chunk: -1);

                // One dense input column against a long batch: the stored Xᵀ·G may be dot products (DotPays).
                Check(random, width, Activation.ReLU, batch: 100, inputs: 1, hidden, outputs: 1, chunk: 8);
            }
        }
    }

    [Fact]
    public void Shapes_outside_the_path_are_declined_and_leave_the_gradients_alone()
    {
        var random = new RandomSource(33);
        (Matrix x, Matrix dy, Matrix w2, Matrix h) = Operands(random, batch: 8, inputs: 17, hidden: 32, outputs: 1, Activation.ReLU);
        var dw = new Matrix(17, 32);
        var db = new float[32];
        dw.Fill(3f);
        Array.Fill(db, 5f);
        try
        {
            GemmEngine.ForceHiddenChunk(-1);
            Gemm.TryHiddenLayerGradients(x, dy, w2, h, Activation.ReLU, 0f, dw, db).Should().BeFalse("17 inputs need 18 accumulator rows");
            dw.Span.ToArray().Should().AllBeEquivalentTo(3f);
            db.Should().AllBeEquivalentTo(5f);

            (x, dy, w2, h) = Operands(random, batch: 8, inputs: 1, hidden: 1, outputs: 1, Activation.ReLU);
            Gemm.TryHiddenLayerGradients(x, dy, w2, h, Activation.ReLU, 0f, new Matrix(1, 1), new float[1]).Should().BeFalse("one hidden unit");
        }
        finally
        {
            GemmEngine.ForceHiddenChunk(0);
        }
    }

    [Fact]
    public void By_default_only_a_gradient_that_would_spill_out_of_L2_is_chunked()
    {
        // The seed GAN's D (64 × 128: 32 KB) keeps the two calls; a batch whose G takes more than half of this host's L2
        // takes the chunked path, and still gives the stored path's bits.
        var random = new RandomSource(36);
        GemmEngine.HiddenGradientSpills(64, 128).Should().BeFalse();
        (Matrix x, Matrix dy, Matrix w2, Matrix h) = Operands(random, batch: 64, inputs: 15, hidden: 128, outputs: 1, Activation.ReLU);
        Gemm.TryHiddenLayerGradients(x, dy, w2, h, Activation.ReLU, 0f, new Matrix(15, 128), new float[128]).Should().BeFalse();

        int batch = (GemmCacheInfo.Host.L2Bytes / 2 / (256 * sizeof(float))) + 3;
        GemmEngine.HiddenGradientSpills(batch, 256).Should().BeTrue();
        Check(random, KernelDispatch.HardwareWidth, Activation.ReLU, batch, inputs: 15, hidden: 256, outputs: 1, chunk: 0);
    }

    [Fact]
    public void Mismatched_shapes_and_overlaps_are_rejected_with_the_shapes()
    {
        var random = new RandomSource(34);
        (Matrix x, Matrix dy, Matrix w2, Matrix h) = Operands(random, batch: 8, inputs: 3, hidden: 20, outputs: 2, Activation.ReLU);
        FluentActions.Invoking(() => Gemm.TryHiddenLayerGradients(x, dy, w2, h, Activation.ReLU, 0f, new Matrix(3, 21), new float[20]))
            .Should().Throw<ArgumentException>().WithMessage("*X 8×3*dW1 3×21*");
        FluentActions.Invoking(() => Gemm.TryHiddenLayerGradients(x, dy, w2, new Matrix(8, 20, 24), Activation.ReLU, 0f, new Matrix(3, 20), new float[20]))
            .Should().Throw<ArgumentException>().WithParameterName("h").WithMessage("*stride is 24*");
        FluentActions.Invoking(() => Gemm.TryHiddenLayerGradients(x, dy, w2, h, Activation.ReLU, 0f, new Matrix(3, 20), h.Span[..20]))
            .Should().Throw<ArgumentException>().WithParameterName("dw1").WithMessage("*overlaps*");
    }

    [Theory]
    [InlineData(15, 128, 1)] // D of the seed GAN
    [InlineData(5, 128, 15)] // G of the seed GAN
    [InlineData(3, 40, 4)]
    public void A_two_layer_model_gets_the_same_parameter_gradients_with_or_without_an_input_gradient(int inputs, int hidden, int outputs)
    {
        // BackwardParameters takes the chunked path; Backward, which must return dX, stores G. Both start from the same
        // non-zero gradients so the accumulation is checked too.
        Sequential Model() => new(new Dense(inputs, hidden, new RandomSource(7)), new ReLU(), new Dense(hidden, outputs, new RandomSource(8)));
        Sequential chunked = Model();
        Sequential stored = Model();
        var random = new RandomSource(35);
        var x = new Matrix(64, inputs);
        var dy = new Matrix(64, outputs);
        random.FillUniform(x.Span, -1f, 1f);
        random.FillUniform(dy.Span, -1f, 1f);
        for (int i = 0; i < chunked.Parameters.Count; i++)
        {
            random.FillUniform(chunked.Parameters[i].Gradient.Span, -1f, 1f);
            chunked.Parameters[i].Gradient.CopyTo(stored.Parameters[i].Gradient);
        }

        chunked.Forward(x);
        stored.Forward(x);
        try
        {
            GemmEngine.ForceHiddenChunk(-1); // these batches are small enough that the default keeps the two calls
            chunked.BackwardParameters(dy);
        }
        finally
        {
            GemmEngine.ForceHiddenChunk(0);
        }

        stored.Backward(dy);
        for (int i = 0; i < chunked.Parameters.Count; i++)
        {
            chunked.Parameters[i].Gradient.Span.ToArray().Should().Equal(stored.Parameters[i].Gradient.Span.ToArray(), "parameter {0}", chunked.Parameters[i]);
        }
    }

    [Fact]
    public void Chunked_input_gradient_equals_the_stored_gradient_path_bitwise()
    {
        // dX = (f'(H) ⊙ (dY·W2ᵀ))·W1ᵀ: one input (the dot route), narrow and 16-wide W1, every chunk height kind. Twelve
        // inputs against 128 hidden units: at 512 bits the stored G·W1ᵀ reads W1's rows in place as dot products
        // (GemmEngine.DotPaysInPlace) where a product with a copy of W1ᵀ would not, so the chunks must take the same A·Bᵀ.
        var random = new RandomSource(37);
        int cases = 0;
        foreach (VectorWidth width in GemmWidths.All())
        {
            foreach (Activation activation in new[] { Activation.ReLU, Activation.LeakyReLU, Activation.Tanh })
            {
                foreach (int inputs in new[] { 1, 2, 12, 15, 16 })
                {
                    foreach (int hidden in new[] { 2, 17, 128, 130 })
                    {
                        foreach (int[] bc in new[] { new[] { 1, -1 }, new[] { 7, 3 }, new[] { 64, -1 }, new[] { 100, 8 } })
                        {
                            CheckInput(random, width, activation, bc[0], inputs, hidden, outputs: hidden % 2 == 0 ? 1 : 15, bc[1]);
                            cases++;
                        }
                    }
                }
            }
        }

        cases.Should().Be(GemmWidths.All().Count() * 3 * 5 * 4 * 4);
    }

    [Fact]
    public void The_input_gradient_is_chunked_by_default_only_when_it_would_spill_and_17_inputs_are_declined()
    {
        var random = new RandomSource(38);
        (_, Matrix dy, Matrix w2, Matrix h) = Operands(random, batch: 64, inputs: 15, hidden: 128, outputs: 1, Activation.ReLU);
        var w1 = new Matrix(15, 128);
        Gemm.TryHiddenLayerInputGradient(dy, w2, h, Activation.ReLU, 0f, w1, new Matrix(64, 15)).Should().BeFalse("G is 32 KB");

        int batch = (GemmCacheInfo.Host.L2Bytes / 2 / (256 * sizeof(float))) + 5;
        CheckInput(random, KernelDispatch.HardwareWidth, Activation.ReLU, batch, inputs: 15, hidden: 256, outputs: 1, chunk: 0);
        (_, dy, w2, h) = Operands(random, batch, inputs: 17, hidden: 256, outputs: 1, Activation.ReLU);
        var dx = new Matrix(batch, 17);
        dx.Fill(2f);
        Gemm.TryHiddenLayerInputGradient(dy, w2, h, Activation.ReLU, 0f, new Matrix(17, 256), dx).Should().BeFalse("17 inputs");
        dx.Span.ToArray().Should().AllBeEquivalentTo(2f);
        (_, dy, w2, h) = Operands(random, batch, inputs: 2, hidden: 256, outputs: 17, Activation.ReLU);
        var narrow = new Matrix(batch, 2);
        Gemm.TryHiddenLayerInputGradient(dy, w2, h, Activation.ReLU, 0f, new Matrix(2, 256), narrow).Should().BeFalse("17 outputs");

        FluentActions.Invoking(() => Gemm.TryHiddenLayerInputGradient(dy, w2, h, Activation.ReLU, 0f, new Matrix(17, 255), new Matrix(batch, 17)))
            .Should().Throw<ArgumentException>().WithMessage("*W1 17×255*");
    }

    [Fact]
    public void A_two_layer_model_gets_the_same_input_gradient_chunked_or_stored()
    {
        // D of the seed GAN asked for G's gradient only (ParameterGradients.Skip), the path forced on this small batch.
        Sequential Model() => new(new Dense(15, 128, new RandomSource(9)), new ReLU(), new Dense(128, 1, new RandomSource(10)));
        Sequential chunked = Model();
        Sequential stored = Model();
        var random = new RandomSource(39);
        var x = new Matrix(64, 15);
        var dy = new Matrix(64, 1);
        random.FillUniform(x.Span, -1f, 1f);
        random.FillUniform(dy.Span, -1f, 1f);
        chunked.Forward(x);
        stored.Forward(x);
        Matrix fromChunks;
        try
        {
            GemmEngine.ForceHiddenChunk(24);
            fromChunks = chunked.Backward(dy, ParameterGradients.Skip);
        }
        finally
        {
            GemmEngine.ForceHiddenChunk(0);
        }

        Matrix fromStored = stored.Backward(dy, ParameterGradients.Skip);
        AssertBits(fromChunks.Span, fromStored.Span, "dX");
        foreach (Parameter p in chunked.Parameters)
        {
            p.Gradient.Span.ToArray().Should().OnlyContain(v => v == 0f, "Skip accumulates nothing ({0})", p);
        }
    }

    private static void CheckInput(RandomSource random, VectorWidth width, Activation activation, int batch, int inputs, int hidden, int outputs, int chunk)
    {
        const float slope = 0.2f;
        (_, Matrix dy, Matrix w2, Matrix h) = Operands(random, batch, inputs, hidden, outputs, activation);
        var w1 = new Matrix(inputs, hidden);
        random.FillUniform(w1.Span, -1f, 1f);
        var g = new Matrix(batch, hidden);
        var dxStored = new Matrix(batch, inputs);
        var dxChunked = new Matrix(batch, inputs);
        dxChunked.Fill(float.NaN);
        bool taken;
        using (KernelDispatch.Cap(width))
        {
            Gemm.MultiplyTransposedBActivationGradient(dy, w2, g, h, activation, slope);
            Gemm.MultiplyTransposedB(g, w1, dxStored);
            try
            {
                GemmEngine.ForceHiddenChunk(chunk);
                taken = Gemm.TryHiddenLayerInputGradient(dy, w2, h, activation, slope, w1, dxChunked);
            }
            finally
            {
                GemmEngine.ForceHiddenChunk(0);
            }
        }

        string where = $"{activation}, batch {batch}, inputs {inputs}, hidden {hidden}, outputs {outputs}, chunk {chunk}, {width}";
        taken.Should().BeTrue(where);
        AssertBits(dxChunked.Span, dxStored.Span, "dX, " + where);
    }

    [Fact]
    public void Chunked_forward_equals_the_two_whole_products_bitwise()
    {
        // H = f(X·W1 + b1), Y = H·W2 + b2: one output (the dot route) and 15, every activation the fused epilogue has.
        var random = new RandomSource(40);
        int cases = 0;
        foreach (VectorWidth width in GemmWidths.All())
        {
            foreach (Activation activation in new[] { Activation.ReLU, Activation.LeakyReLU, Activation.Tanh, Activation.Sigmoid })
            {
                foreach (int inputs in new[] { 1, 5, 16 })
                {
                    foreach (int hidden in new[] { 2, 17, 128, 130 })
                    {
                        foreach (int outputs in new[] { 1, 15 })
                        {
                            foreach (int[] bc in new[] { new[] { 1, -1 }, new[] { 7, 3 }, new[] { 100, 8 } })
                            {
                                CheckForward(random, width, activation, bc[0], inputs, hidden, outputs, bc[1]);
                                cases++;
                            }
                        }
                    }
                }
            }
        }

        cases.Should().Be(GemmWidths.All().Count() * 4 * 3 * 4 * 2 * 3);
    }

    [Fact]
    public void The_chunked_paths_give_way_to_a_product_that_would_be_split()
    {
        // Forced chunks on a batch whose products are over the host's parallel threshold (256 × 128 × 15 = 492 K; the
        // cube whose operands fill L1d, 52³ on 32 KB, 64³ = 262 K on the 48 KB of the Intel hosts, where a batch of 100
        // stayed below it; a larger batch where a larger L1d raises the threshold past it): taken on one thread, declined
        // on two, where the plain products split instead.
        var random = new RandomSource(44);
        long threshold = GemmEngine.BlockingFor(KernelDispatch.HardwareWidth).ParallelThreshold;
        int batch = (int)Math.Max(256, (threshold + (128 * 15) - 1) / (128 * 15));
        (Matrix x, Matrix dy, Matrix w2, Matrix h) = Operands(random, batch, inputs: 15, hidden: 128, outputs: 15, Activation.ReLU);
        ((long)batch * 128 * 15).Should().BeGreaterThanOrEqualTo(threshold);
        bool Taken()
        {
            try
            {
                GemmEngine.ForceHiddenChunk(8);
                return Gemm.TryHiddenLayerGradients(x, dy, w2, h, Activation.ReLU, 0f, new Matrix(15, 128), new float[128], new Matrix(128, 15));
            }
            finally
            {
                GemmEngine.ForceHiddenChunk(0);
            }
        }

        Taken().Should().BeTrue("one thread (the class's)");
        Gemm.MaxDegreeOfParallelism = 2;
        Taken().Should().Be(Environment.ProcessorCount < 2, "two threads split the products on a host with two or more CPUs");
    }

    [Fact]
    public void The_forward_pass_is_chunked_by_default_only_when_H_would_spill_and_wide_outputs_are_declined()
    {
        var random = new RandomSource(41);
        int batch = (GemmCacheInfo.Host.L2Bytes / 2 / (256 * sizeof(float))) + 7;
        try
        {
            CheckForward(random, KernelDispatch.HardwareWidth, Activation.ReLU, batch, inputs: 15, hidden: 256, outputs: 1, chunk: 0);
            var x = new Matrix(64, 15);
            Gemm.TryHiddenLayerForward(x, new Matrix(15, 128), new float[128], Activation.ReLU, 0f, new Matrix(64, 128), new Matrix(128, 1), new float[1], new Matrix(64, 1))
                .Should().BeFalse("H is 32 KB");
            GemmEngine.ForceHiddenChunk(-1);
            var h = new Matrix(64, 128);
            h.Fill(4f);
            Gemm.TryHiddenLayerForward(x, new Matrix(15, 128), new float[128], Activation.ReLU, 0f, h, new Matrix(128, 17), new float[17], new Matrix(64, 17))
                .Should().BeFalse("17 outputs could take the packed route for the whole batch");
            h.Span.ToArray().Should().AllBeEquivalentTo(4f);
        }
        finally
        {
            GemmEngine.ForceHiddenChunk(0);
        }

        FluentActions.Invoking(() => Gemm.TryHiddenLayerForward(new Matrix(8, 3), new Matrix(3, 20), new float[19], Activation.ReLU, 0f, new Matrix(8, 20), new Matrix(20, 2), new float[2], new Matrix(8, 2)))
            .Should().Throw<ArgumentException>().WithMessage("*b1 19*");
    }

    [Fact]
    public void A_chunk_on_the_streaming_route_while_the_whole_batch_goes_direct_keeps_the_bits()
    {
        // 16 rows × 8192 hidden × 16 is large enough for the streaming route, while 40 rows take the direct loops: the
        // two routes must run the same chain per element for the chunked paths to keep their bits. On one thread (the class's): the
        // whole batch's 40 × 8192 × 16 is over the parallel threshold of any host (52³ for a 32 KB L1d), and
        // the chunked paths decline a product that would be split.
        var random = new RandomSource(43);
        foreach (VectorWidth width in GemmWidths.All())
        {
            Check(random, width, Activation.ReLU, batch: 40, inputs: 16, hidden: 8192, outputs: 16, chunk: 16);
            CheckInput(random, width, Activation.ReLU, batch: 40, inputs: 16, hidden: 8192, outputs: 16, chunk: 16);
            CheckForward(random, width, Activation.ReLU, batch: 40, inputs: 16, hidden: 8192, outputs: 16, chunk: 16);
        }
    }

    [Fact]
    public void A_two_layer_model_forward_in_chunks_gives_the_same_outputs_and_gradients()
    {
        // The chunked forward must leave each layer the state its own pass would: the outputs, then a full backward.
        Sequential Model() => new(new Dense(5, 128, new RandomSource(11)), new LeakyReLU(0.2f), new Dense(128, 15, new RandomSource(12)), new Tanh());
        Sequential chunked = Model();
        Sequential whole = Model();
        var random = new RandomSource(42);
        var x = new Matrix(64, 5);
        var dy = new Matrix(64, 15);
        random.FillUniform(x.Span, -1f, 1f);
        random.FillUniform(dy.Span, -1f, 1f);
        Matrix yChunked;
        Matrix dxChunked;
        try
        {
            GemmEngine.ForceHiddenChunk(10);
            yChunked = chunked.Forward(x);
            dxChunked = chunked.Backward(dy);
        }
        finally
        {
            GemmEngine.ForceHiddenChunk(0);
        }

        Matrix yWhole = whole.Forward(x);
        Matrix dxWhole = whole.Backward(dy);

        // The model's mode reaches the layers the chunked pass skips in its loop, as it reaches every other layer.
        chunked.IsTraining = false;
        chunked.Layers[1].IsTraining = true;
        chunked.Layers[2].IsTraining = true;
        chunked.Layers[3].IsTraining = true;
        try
        {
            GemmEngine.ForceHiddenChunk(10);
            chunked.Forward(x);
        }
        finally
        {
            GemmEngine.ForceHiddenChunk(0);
        }

        chunked.Layers.Should().OnlyContain(l => !l.IsTraining);
        AssertBits(yChunked.Span, yWhole.Span, "Y");
        AssertBits(dxChunked.Span, dxWhole.Span, "dX");
        for (int i = 0; i < chunked.Parameters.Count; i++)
        {
            AssertBits(chunked.Parameters[i].Gradient.Span, whole.Parameters[i].Gradient.Span, chunked.Parameters[i].ToString());
        }
    }

    private static void CheckForward(RandomSource random, VectorWidth width, Activation activation, int batch, int inputs, int hidden, int outputs, int chunk)
    {
        var x = new Matrix(batch, inputs);
        var w1 = new Matrix(inputs, hidden);
        var b1 = new float[hidden];
        var w2 = new Matrix(hidden, outputs);
        var b2 = new float[outputs];
        random.FillUniform(x.Span, -1f, 1f);
        random.FillUniform(w1.Span, -1f, 1f);
        random.FillUniform(b1, -1f, 1f);
        random.FillUniform(w2.Span, -1f, 1f);
        random.FillUniform(b2, -1f, 1f);
        var hWhole = new Matrix(batch, hidden);
        var yWhole = new Matrix(batch, outputs);
        var hChunked = new Matrix(batch, hidden);
        var yChunked = new Matrix(batch, outputs);
        hChunked.Fill(float.NaN);
        yChunked.Fill(float.NaN);
        bool taken;
        using (KernelDispatch.Cap(width))
        {
            Gemm.MultiplyBiasActivation(x, w1, b1, hWhole, activation, 0.2f);
            Gemm.MultiplyBiasActivation(hWhole, w2, b2, yWhole, Activation.Identity);
            try
            {
                GemmEngine.ForceHiddenChunk(chunk);
                taken = Gemm.TryHiddenLayerForward(x, w1, b1, activation, 0.2f, hChunked, w2, b2, yChunked);
            }
            finally
            {
                GemmEngine.ForceHiddenChunk(0);
            }
        }

        string where = $"{activation}, batch {batch}, inputs {inputs}, hidden {hidden}, outputs {outputs}, chunk {chunk}, {width}";
        taken.Should().BeTrue(where);
        AssertBits(hChunked.Span, hWhole.Span, "H, " + where);
        AssertBits(yChunked.Span, yWhole.Span, "Y, " + where);
    }

    /// <summary>Both paths from the same random start; <paramref name="chunk"/> is passed to
    /// <see cref="GemmEngine.ForceHiddenChunk"/> (0: the default choice, which must take the chunked path here).</summary>
    private static void Check(RandomSource random, VectorWidth width, Activation activation, int batch, int inputs, int hidden, int outputs, int chunk)
    {
        const float slope = 0.2f;
        (Matrix x, Matrix dy, Matrix w2, Matrix h) = Operands(random, batch, inputs, hidden, outputs, activation);
        var dwStart = new float[inputs * hidden];
        var dbStart = new float[hidden];
        random.FillUniform(dwStart, -1f, 1f);
        random.FillUniform(dbStart, -1f, 1f);
        var dwStored = Matrix.FromRows(inputs, hidden, dwStart);
        var dbStored = (float[])dbStart.Clone();
        var dwChunked = Matrix.FromRows(inputs, hidden, dwStart);
        var dbChunked = (float[])dbStart.Clone();
        var dw2Start = new float[hidden * outputs];
        random.FillUniform(dw2Start, -1f, 1f);
        var dw2Stored = Matrix.FromRows(hidden, outputs, dw2Start);
        var dw2Chunked = Matrix.FromRows(hidden, outputs, dw2Start);
        var g = new Matrix(batch, hidden);
        bool taken;
        int avxRuns;
        using (KernelDispatch.Cap(width))
        {
            Gemm.MultiplyTransposedBActivationGradient(dy, w2, g, h, activation, slope);
            Gemm.WeightAndBiasGradients(x, g, dwStored, dbStored);
            Gemm.MultiplyTransposedA(h, dy, dw2Stored, accumulate: true);
            try
            {
                GemmEngine.ForceHiddenChunk(chunk);
                _ = GemmEngine.TakeStreamAvxRuns();
                taken = Gemm.TryHiddenLayerGradients(x, dy, w2, h, activation, slope, dwChunked, dbChunked, dw2Chunked);
                avxRuns = GemmEngine.TakeStreamAvxRuns();
            }
            finally
            {
                GemmEngine.ForceHiddenChunk(0);
            }
        }

        string where = $"{activation}, batch {batch}, inputs {inputs}, hidden {hidden}, outputs {outputs}, chunk {chunk}, {width}";

        // On a CPU with AVX but not AVX2 the 128-bit dispatch runs the chunks at 256 bits (SimdAvx); nowhere else.
        if (taken && width == VectorWidth.Bits128 && SimdAvx.IsHost)
        {
            avxRuns.Should().BeGreaterThan(0, where);
        }
        else
        {
            avxRuns.Should().Be(0, where);
        }

        if (outputs > GemmStream.MaxRows || x.Stride == 1)
        {
            // A wider dY could send the whole batch's products down the packed route (K split into blocks) and a
            // chunk's elsewhere, and one dense input column makes Xᵀ a contiguous row that the stored Xᵀ·G may sum as
            // dot products (GemmEngine.DotPays, DotTail), so the path declines both and writes nothing.
            taken.Should().BeFalse(where);
            dwChunked.Span.ToArray().Should().Equal(dwStart, where);
            dbChunked.Should().Equal(dbStart, where);
            dw2Chunked.Span.ToArray().Should().Equal(dw2Start, where);
            return;
        }

        taken.Should().BeTrue(where);
        AssertBits(dwChunked.Span, dwStored.Span, "dW1, " + where);
        AssertBits(dbChunked, dbStored, "db1, " + where);
        AssertBits(dw2Chunked.Span, dw2Stored.Span, "dW2, " + where);
    }

    private static (Matrix X, Matrix DY, Matrix W2, Matrix H) Operands(RandomSource random, int batch, int inputs, int hidden, int outputs, Activation activation)
    {
        var x = new Matrix(batch, inputs);
        var dy = new Matrix(batch, outputs);
        var w2 = new Matrix(hidden, outputs);
        var h = new Matrix(batch, hidden);
        random.FillUniform(x.Span, -1f, 1f);
        random.FillUniform(dy.Span, -1f, 1f);
        random.FillUniform(w2.Span, -1f, 1f);
        random.FillUniform(h.Span, -1f, 1f);
        Span<float> hs = h.Span;
        for (int i = 0; i < hs.Length; i++)
        {
            hs[i] = activation switch
            {
                Activation.ReLU => MathF.Max(hs[i], 0f), // zeros as a ReLU makes them: the mask's boundary
                Activation.Sigmoid => 1f / (1f + MathF.Exp(-4f * hs[i])),
                Activation.Tanh => MathF.Tanh(2f * hs[i]),
                _ => hs[i],
            };
        }

        return (x, dy, w2, h);
    }

    private static void AssertBits(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, string where)
    {
        actual.Length.Should().Be(expected.Length, where);
        for (int i = 0; i < actual.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
            {
                Assert.Fail($"{where}: element {i} is {actual[i]:R}; storing G gives {expected[i]:R}.");
            }
        }
    }
}
