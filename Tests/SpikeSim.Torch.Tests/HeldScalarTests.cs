using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Grapes;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Torch.Neuromodulation;
using SpikeSim.Learning.Torch.Optimizers;
using SpikeSim.Learning.Torch.Plasticity;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SpikeSim.Tests.Learning;

/// <summary>Runs alone: the finalizer counts of <see cref="HeldScalarTests"/> are process-wide.</summary>
[CollectionDefinition(nameof(HeldScalarTests), DisableParallelization = true)]
public sealed class HeldScalarCollection;

/// <summary>
/// SpikeSim's libtorch paths leave no TorchSharp <see cref="Scalar"/> to the finalizer (see <see cref="HeldScalars"/>:
/// such a temporary can be freed while libtorch reads it, and a CI run crashed so inside an A2C episode), and the
/// optimisers that hold their scalars update exactly as TorchSharp's own.
/// </summary>
[Collection(nameof(HeldScalarTests))]
public sealed class HeldScalarTests
{
    [Fact]
    public void The_counter_sees_the_temporaries_of_implicit_conversions()
    {
        // tensor + tensor passes alpha = 1 as a temporary Scalar: five additions, five finalized Scalars.
        using var counter = new FinalizationCounter(typeof(Scalar));
        using (NewDisposeScope())
        {
            var a = ones(3);
            for (var i = 0; i < 5; i++) a = a + a;
        }
        Assert.Equal(5, counter.Finalized());
    }

    [Fact]
    public void Every_backpropamine_variant_steps_and_learns_without_a_temporary_scalar()
    {
        using var counter = new FinalizationCounter(typeof(Scalar));
        foreach (var rule in PlasticityRule.All)
        {
            using var scope = NewDisposeScope();
            manual_seed(5);
            using var net = new PlasticRnn(3, 6, 2, rule);
            using var optimizer = new TorchAdamW(net.parameters(), 1e-2);
            var state = net.Initial(2);
            var loss = zeros(1);
            for (var t = 0; t < 4; t++)
            {
                var (logits, value, m, next) = net.Step(rand(2, 3), state);
                state = next;
                loss = loss.add(logits.sum().add(value.sum(), HeldScalars.One).add(m.sum(), HeldScalars.One), HeldScalars.One);
            }
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
        }
        Assert.Equal(0, counter.Finalized());
    }

    private static readonly TaskData Data = new(YinYang.Generate(120, 42), null, YinYang.Generate(60, 40));

    public static TheoryData<string> AnnRuns => ["adam", "sgd", "grapes-local", "grapes-propagating", "rnn", "cnn"];

    [Theory]
    [MemberData(nameof(AnnRuns))]
    public void Ann_training_and_evaluation_use_no_temporary_scalar(string run)
    {
        var sgd = new OptimizerSettings(LearningRate: 0.05f, WeightDecay: 1e-3f, Momentum: 0.9f);
        var options = new TrainingOptions(Steps: 4, Epochs: 2, Batch: 20, Seed: 3, Loss: LossKind.CeMax, Encoder: EncoderKind.Current,
            Optimizer: run == "adam" || run == "cnn" ? OptimizerKind.Adam : OptimizerKind.Sgd,
            Settings: run == "adam" || run == "cnn" ? new OptimizerSettings(LearningRate: 1e-2f, WeightDecay: 1e-2f) : sgd,
            Grapes: run switch
            {
                "grapes-local" => new GrapesOptions(GrapesVariant.Local),
                "grapes-propagating" => new GrapesOptions(GrapesVariant.Propagating),
                _ => null,
            });
        var spec = run switch
        {
            "rnn" => new AnnModelSpec(4, [8], 3, Recurrent: true),
            "cnn" => new AnnModelSpec(4, [], 3, Convolution: new ConvolutionSpec(1, 2, 2, [new ConvStage(4, 2, Padding: 1, Pool: PoolKind.Sum)])),
            _ => new AnnModelSpec(4, [8, 8], 3),
        };
        using var counter = new FinalizationCounter(typeof(Scalar));
        using (var trainer = new AnnTrainer(spec, options))
        {
            trainer.TrainEpoch(Data.Train, 0);
            trainer.TrainEpoch(Data.Train, 1);
            trainer.Evaluate(Data.Test);
        }
        Assert.Equal(0, counter.Finalized());
    }

    [Fact]
    public void Controlled_training_uses_no_temporary_scalar()
    {
        using var counter = new FinalizationCounter(typeof(Scalar));
        ControlledTraining.Run(new AnnModelSpec(4, [8], 3), Data, 1, 20, 3, null, 0.01, 0.5);
        Assert.Equal(0, counter.Finalized());
    }

    public static TheoryData<string, double> Optimisers => new()
    {
        { "adam", 0 }, { "adamw", 0 }, { "adamw", 0.05 }, { "sgd", 0 }, { "sgd-momentum", 0 }, { "sgd-momentum", 0.05 },
    };

    [Theory]
    [MemberData(nameof(Optimisers))]
    public void The_optimisers_update_bit_for_bit_as_torch_optim(string kind, double decay)
    {
        const double lr = 0.03, momentum = 0.9;
        using var scope = NewDisposeScope();
        manual_seed(11);
        var start = new[] { randn(5, 4), randn(4) };
        var grads = Enumerable.Range(0, 6).Select(_ => new[] { randn(5, 4), randn(4) }).ToArray();
        Parameter[] Fresh() => start.Select(t => new Parameter(t.clone())).ToArray();
        var (ours, theirs) = (Fresh(), Fresh());
        using TorchOptimizer mine = kind switch
        {
            "sgd" => new TorchSgd(ours, lr, 0, decay),
            "sgd-momentum" => new TorchSgd(ours, lr, momentum, decay),
            _ => new TorchAdamW(ours, lr, 0.9, 0.999, 1e-8, decay),
        };
        using optim.Optimizer torchs = kind switch
        {
            "sgd" => optim.SGD(theirs, lr, 0, weight_decay: decay),
            "sgd-momentum" => optim.SGD(theirs, lr, momentum, weight_decay: decay),
            "adam" => optim.Adam(theirs, lr),
            _ => optim.AdamW(theirs, lr, 0.9, 0.999, 1e-8, decay),
        };
        foreach (var g in grads)
        {
            for (var i = 0; i < g.Length; i++)
            {
                using (no_grad()) { ours[i].grad = g[i].clone(); theirs[i].grad = g[i].clone(); }
            }
            mine.Step();
            torchs.step();
            for (var i = 0; i < g.Length; i++)
                Assert.Equal(theirs[i].data<float>().ToArray(), ours[i].data<float>().ToArray());
        }
        Assert.NotEqual(start[0].data<float>().ToArray(), ours[0].data<float>().ToArray());
    }
}
