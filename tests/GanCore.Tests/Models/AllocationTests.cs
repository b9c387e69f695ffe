using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Models;

/// <summary>A steady-state training step (forward, loss, backward, optimizer step) allocates nothing.</summary>
public class AllocationTests
{
    public static TheoryData<string> Optimizers => new() { "Adam", "AdamW", "Sgd", "SgdNesterov", "RmsProp", "RmsPropCenteredMomentum" };

    private static Optimizer Create(string name, IEnumerable<Parameter> parameters) => name switch
    {
        "Adam" => new Adam(parameters, 1e-3f),
        "AdamW" => new Adam(parameters, 1e-3f, weightDecay: 0.01f, decoupledWeightDecay: true),
        "Sgd" => new Sgd(parameters, 1e-2f),
        "RmsProp" => new RmsProp(parameters, 1e-3f),
        "RmsPropCenteredMomentum" => new RmsProp(parameters, 1e-3f, weightDecay: 1e-4f, momentum: 0.9f, centered: true),
        _ => new Sgd(parameters, 1e-2f, momentum: 0.9f, nesterov: true, weightDecay: 1e-4f),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_steady_state_training_step_allocates_zero_bytes(string optimizerName)
    {
        MeasureGanLikeStep(optimizerName).Should().Be(0, "a steady-state step must reuse every buffer");
    }

    /// <summary>
    /// A GAN-like step at the seed's shapes, batch 64: G = 5 → 128 (LeakyReLU) → 15 (Sigmoid), D = 15 → 128 (ReLU) → 1
    /// logit; the generator's loss goes back through D with <see cref="ParameterGradients.Skip"/>, then D trains.
    /// Returns the bytes allocated in the quietest window of 30 steps after 60 warm-up steps (14 GEMM calls a step).
    /// </summary>
    private static long MeasureGanLikeStep(string optimizerName)
    {
        var random = new RandomSource(8);
        var d = new Sequential(new Dense(15, 128, random), new ReLU(), new Dense(128, 1, random));
        var g = new Sequential(new Dense(5, 128, random), new LeakyReLU(0.2f), new Dense(128, 15, random), new Sigmoid());
        Optimizer dOptimizer = Create(optimizerName, d.Parameters);
        Optimizer gOptimizer = Create(optimizerName, g.Parameters);
        var z = new Matrix(64, 5);
        var targets = new Matrix(64, 1);
        targets.Fill(1f);
        var dLoss = new Matrix(64, 1);
        var bce = new BinaryCrossEntropyWithLogits();
        random.FillGaussian(z.Span);

        void Step()
        {
            g.ZeroGradients();
            d.ZeroGradients();
            Matrix fake = g.Forward(z);                               // 2 GEMMs
            bce.Compute(d.Forward(fake), targets, dLoss);             // 2
            Matrix dFake = d.Backward(dLoss, ParameterGradients.Skip); // 2 (dX of each Dense)
            g.BackwardParameters(dFake);                              // 3 (dW, dX, dW)
            gOptimizer.Step();
            bce.Compute(d.Forward(fake), targets, dLoss);             // 2
            d.BackwardParameters(dLoss);                              // 3
            dOptimizer.Step();
        }

        return AllocationProbe.QuietestWindow(Step, warmUp: 60, calls: 30);
    }

    [Fact]
    public void A_step_of_a_smaller_batch_after_a_larger_one_allocates_zero_bytes()
    {
        var random = new RandomSource(9);
        var model = new Sequential(new Dense(3, 32, random), new Tanh(), new Dense(32, 2, random));
        var adam = new Adam(model.Parameters);
        var mse = new MeanSquaredError();
        var big = new Matrix(64, 3);
        var bigTargets = new Matrix(64, 2);
        Matrix small = big.View(10);
        Matrix smallTargets = bigTargets.View(10);
        Matrix gradient = new Matrix(64, 2).View(10);

        void Step(Matrix x, Matrix t, Matrix grad)
        {
            model.ZeroGradients();
            mse.Compute(model.Forward(x), t, grad);
            model.BackwardParameters(grad);
            adam.Step();
        }

        var bigGradient = new Matrix(64, 2);
        void BothSizes()
        {
            Step(big, bigTargets, bigGradient);
            Step(small, smallTargets, gradient);
        }

        AllocationProbe.QuietestWindow(BothSizes, warmUp: 100, calls: 50).Should().Be(0, "batches up to the largest seen reuse the grown buffers");
    }
}
