using System.Collections.Concurrent;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary>
/// Every command, given bad input, answers in one clear line before any work: exit code 2, exactly one <c>error:</c>
/// line, no stack trace, and no file created or changed — checked for a few hundred invocations in real processes.
/// </summary>
public sealed class BadInvocationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // DIR: a folder; OUT: a fresh file name; OLD: a file that exists; TEXT: a file that is not a model; NONE: a missing file;
    // UNWRITABLE: a file in a folder no one may write.
    private static readonly string[] Cases =
    [
        // the root
        "bogus", "simulte cuba", "--bogus", "simulate", "meta", "bench",
        // simulate microcircuit, bench microcircuit
        "simulate microcircuit --scale 0", "simulate microcircuit --scale 2", "simulate microcircuit --scale abc", "simulate microcircuit --k-scale 0",
        "simulate microcircuit --k-scale -1", "simulate microcircuit --input noise", "simulate microcircuit --dt-ms 0.6", "simulate microcircuit --duration-ms 0",
        "bench microcircuit --scale 0", "bench microcircuit --repeats 0",
        // simulate cuba
        "simulate cuba --n 0", "simulate cuba --n -3", "simulate cuba --n abc", "simulate cuba --n 1.5", "simulate cuba --n 30000000",
        "simulate cuba --duration-ms 0", "simulate cuba --duration-ms -1", "simulate cuba --duration-ms NaN", "simulate cuba --duration-ms abc",
        "simulate cuba --duration-ms 1e12", "simulate cuba --dt-ms 0", "simulate cuba --dt-ms -0.1", "simulate cuba --dt-ms NaN", "simulate cuba --dt-ms 2000",
        "simulate cuba --seed -1", "simulate cuba --seed x", "simulate cuba --engine gpu", "simulate cuba --device tpu", "simulate cuba --threads -1",
        "simulate cuba --threads 4000", "simulate cuba --json DIR", "simulate cuba --json UNWRITABLE", "simulate cuba --raster DIR",
        "simulate cuba --raster UNWRITABLE", "simulate cuba --json OLD", "simulate cuba --json OLD/x.json", "simulate cuba --record spikes", "simulate cuba -o OUT",
        "simulate cuba --record bogus -o OUT", "simulate cuba --record v:nope -o OUT", "simulate cuba --record w:cuba -o OUT",
        "simulate cuba --record v:cuba:9999 -o OUT", "simulate cuba --record v:cuba@0 -o OUT", "simulate cuba --record spikes -o DIR",
        "simulate cuba --engine event --dt-ms 0.5", "simulate cuba --engine event --device cpu", "simulate cuba --nn 3", "simulate cuba extra",
        // simulate brunel
        "simulate brunel --regime e", "simulate brunel --n-scale 0", "simulate brunel --n-scale -1", "simulate brunel --n-scale 1000",
        "simulate brunel --n-scale 10", "simulate brunel --g -1", "simulate brunel --eta NaN", "simulate brunel --duration-ms 0",
        "simulate brunel --engine event --device cuda", "simulate brunel --json DIR", "simulate brunel --n-scale 0.001",
        // simulate distal-reward, rstdp-patterns, fi-curve, model
        "simulate distal-reward --minutes 0", "simulate distal-reward --minutes -1", "simulate distal-reward --minutes NaN",
        "simulate distal-reward --seed -2", "simulate distal-reward --threads 99", "simulate distal-reward --plot DIR", "simulate distal-reward --json UNWRITABLE",
        "simulate distal-reward --record spikes:nope -o OUT",
        "simulate rstdp-patterns --patterns 1", "simulate rstdp-patterns --patterns 0", "simulate rstdp-patterns --trials 0",
        "simulate rstdp-patterns --trials -5", "simulate rstdp-patterns --seed abc", "simulate rstdp-patterns --json DIR",
        "simulate fi-curve --n 1", "simulate fi-curve --max-current 0", "simulate fi-curve --max-current -2", "simulate fi-curve --dt-ms 0",
        "simulate fi-curve --engine fast", "simulate fi-curve --plot UNWRITABLE", "simulate fi-curve --engine event --record w:neurons -o OUT",
        "simulate model NONE", "simulate model DIR", "simulate model TEXT", "simulate model /dev/null",
        // run
        "run NONE", "run DIR", "run TEXT", "run", "run TEXT --data yinyang", "run NONE --data cifar", "run TEXT --engine gpu", "run TEXT --sample -1",
        // train
        "train", "train --task cifar", "train --task yinyang --steps 0", "train --task yinyang --epochs 0", "train --task yinyang --batch 0",
        "train --task yinyang --batch 6000", "train --task yinyang --lr 0", "train --task yinyang --lr -1", "train --task yinyang --lr NaN",
        "train --task yinyang --lr 1e30", "train --task yinyang --weight-decay -1", "train --task yinyang --weight-decay NaN",
        "train --task yinyang --clip -1", "train --task yinyang --slope 0", "train --task yinyang --slope NaN", "train --task yinyang --hidden 0",
        "train --task yinyang --layers 0", "train --task yinyang --surrogate boxcar", "train --task yinyang --loss hinge",
        "train --task yinyang --encoder rate", "train --task yinyang --optimizer rmsprop", "train --task yinyang --cell izhikevich",
        "train --task yinyang --schedule step", "train --task yinyang --model gpt", "train --task yinyang --encoder spike-times",
        "train --task yinyang --resume", "train --task yinyang --checkpoint DIR", "train --task yinyang --checkpoint OLD",
        "train --task yinyang --checkpoint NONE --resume", "train --task yinyang --model ann --checkpoint OUT", "train --task yinyang --model ann --cell alif",
        "train --task yinyang --model ann --surrogate arctan", "train --task yinyang --data DIR", "train --task mnist --data NONE",
        "train --task yinyang --json DIR", "train --task yinyang --csv UNWRITABLE", "train --task yinyang --plot OLD", "train --task yinyang --threads 9",
        "train --task yinyang --device tpu", "train --task yinyang --hidden x", "train --task yinyang --epoch 2",
        // compare
        "compare", "compare --task randman", "compare --task yinyang --seeds 0", "compare --task yinyang --epochs 0",
        "compare --task yinyang --hidden 0,5", "compare --task yinyang --hidden abc", "compare --task yinyang --sgd-lr-ann 0",
        "compare --task yinyang --sgd-lr-snn NaN", "compare --task yinyang --markdown DIR", "compare --task yinyang --plot UNWRITABLE",
        "compare --task yinyang --checkpoint DIR", "compare --task yinyang --resume", "compare --task yinyang --checkpoint OLD",
        // meta backpropamine
        "meta backpropamine --path gpu", "meta backpropamine --variant hebbian", "meta backpropamine --compare --variants none,bogus",
        "meta backpropamine --variants none", "meta backpropamine --cues 3", "meta backpropamine --cues 0", "meta backpropamine --episodes 0",
        "meta backpropamine --hidden 0", "meta backpropamine --lr 0", "meta backpropamine --lr NaN", "meta backpropamine --seeds 0",
        "meta backpropamine --parallel 0", "meta backpropamine --tau-mem 0", "meta backpropamine --tau-trace -1", "meta backpropamine --alpha-init -1",
        "meta backpropamine --input-gain 0", "meta backpropamine --path snn --variant retroactive", "meta backpropamine --export OUT",
        "meta backpropamine --path snn --export OUT --checkpoint OUT", "meta backpropamine --plot DIR", "meta backpropamine --trace-step Foo",
        "meta backpropamine --threads 99", "meta backpropamine --checkpoint OLD",
        // meta maze
        "meta maze --agent lstm", "meta maze --policy greedy", "meta maze --strategy nes", "meta maze --generations 0", "meta maze --population 3",
        "meta maze --population 5", "meta maze --hidden 0", "meta maze --mazes 0", "meta maze --repeats 0", "meta maze --size 4", "meta maze --size 1000",
        "meta maze --held-out 0", "meta maze --held-out -1", "meta maze --sigma 0", "meta maze --sigma NaN", "meta maze --sigma -1", "meta maze --resume",
        "meta maze --checkpoint DIR", "meta maze --export OUT --agent rnn", "meta maze --agent spiking --policy gated-argmax", "meta maze --plot UNWRITABLE",
        "meta maze --checkpoint TEXT --resume", "meta maze --threads 1000", "meta maze --cluster local:0", "meta maze --cluster local:x",
        "meta maze --cluster redis:host", "meta maze --cluster tcp:1", "meta maze --cluster",
        // sweep
        "sweep", "sweep -- simulate cuba", "sweep --set n -- simulate cuba", "sweep --set n= -- simulate cuba", "sweep --set n=1 -- meta maze",
        "sweep --set n=1 -- simulate cuba --json OUT", "sweep --set n=0 -- simulate cuba", "sweep --set n=1 --set n=2 -- simulate cuba",
        "sweep --set bogus=1 -- simulate cuba", "sweep --set n=1 --json DIR -- simulate cuba", "sweep --set n=1 --cluster local:0 -- simulate cuba",
        "meta backpropamine --cluster local:2", "meta neuromodulation --cluster redis:x", "compare --cluster local:0",
        "bench evolution --generations 0", "bench evolution --population 5", "bench evolution --workers -1", "bench evolution --agent lstm", "bench evolution --json DIR",
        // worker
        "worker", "worker --cluster local:2", "worker --cluster bogus", "worker --cluster redis:127.0.0.1:6379 --address nope",
        "worker --cluster redis:127.0.0.1:6379 --threads 1000", "worker --cluster redis:127.0.0.1:6379 extra",
        // meta neuromodulation
        "meta neuromodulation --generations 0", "meta neuromodulation --population 5", "meta neuromodulation --epochs 0", "meta neuromodulation --seeds 0",
        "meta neuromodulation --seed x", "meta neuromodulation --resume", "meta neuromodulation --checkpoint DIR", "meta neuromodulation --plot DIR",
        "meta neuromodulation --checkpoint TEXT --resume",
        // bench
        "bench cuba --repeats 0", "bench cuba --n 0", "bench cuba --duration-ms 0", "bench cuba --device tpu", "bench cuba --json DIR",
        "bench engines --duration-ms 0", "bench engines --n-scale 0", "bench engines --threads 50", "bench stdp --repeats -1", "bench stdp --n 0",
        "bench gemm --size 0", "bench gemm --size -1", "bench gemm --size 60000", "bench gemm --repeats 0", "bench gemm --json UNWRITABLE",
        "bench train --inputs 0", "bench train --batch 0", "bench train --steps 0", "bench train --repeats 0",
        // export and inspect
        "export --network cuba", "export --network cuba -o DIR", "export --network cuba -o UNWRITABLE", "export --network cuba -o OLD",
        "export --network hopfield -o OUT", "export --network cuba --format onnx -o OUT", "export --network cuba --target truenorth -o OUT",
        "export -o OUT", "export --network cuba --model TEXT -o OUT", "export --network cuba --dt-ms -1 -o OUT", "export --network cuba --dt-ms NaN -o OUT",
        "export --network cuba --n 0 -o OUT", "export --model NONE -o OUT", "export --model TEXT -o OUT", "export --network cuba --target int8 -o OUT",
        "export --network cuba --n 30000000 -o OUT", "export --network brunel --n 5000000 -o OUT",
        "inspect NONE", "inspect DIR", "inspect TEXT", "inspect", "inspect /dev/null", "inspect /dev/zero", "run /dev/zero", "simulate model /dev/zero",
    ];

    [Fact]
    public void Every_bad_invocation_ends_in_one_error_line_with_exit_code_2_and_touches_no_file()
    {
        Assert.True(Cases.Length >= 150, $"{Cases.Length} cases");
        var old = Path.Combine(_dir, "old.json");
        File.WriteAllText(old, "keep");
        var text = Path.Combine(_dir, "text.txt");
        File.WriteAllText(text, "not a model file, nor a checkpoint, nor HDF5");
        var before = Snapshot();
        var failures = new ConcurrentBag<string>();
        Parallel.ForEach(Cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, line =>
        {
            var args = line.Split(' ').Select(a => a
                .Replace("UNWRITABLE", "/proc/spikesim-test.out").Replace("DIR", _dir).Replace("OLD", old).Replace("TEXT", text)
                .Replace("NONE", Path.Combine(_dir, "missing.file")).Replace("OUT", Path.Combine(_dir, "new.out"))).ToArray();
            var result = CliProcess.Run(args);
            var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("device:")).ToArray();
            if (result.ExitCode != 2) failures.Add($"{line}: exit code {result.ExitCode}");
            else if (errors.Length != 1 || !errors[0].StartsWith("error: ")) failures.Add($"{line}: stderr was '{result.Stderr.Trim()}'");
            else if ((result.Stderr + result.Stdout).Contains("   at ")) failures.Add($"{line}: a stack trace");
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {Cases.Length} bad invocations misbehaved:\n" + string.Join('\n', failures.Order()));
        Assert.Equal(before, Snapshot());
    }

    private string Snapshot() => string.Join('\n', Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Order()
        .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length} {File.ReadAllText(p).GetHashCode()}" : p));
}
