using SpikeSim.Simulator.Random;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary>
/// The cue–reward association task of Backpropamine's code (Miconi et al. 2019), batched. Each episode draws
/// <see cref="Cues"/> distinct binary cues (±1, <see cref="CueSize"/> bits) and picks one as rewarded. A trial
/// shows half of the cues (chosen at random, once each) among empty steps, then a go signal, then an empty
/// step; trial length = cues/2 + 3 + U{0 … cues−1}. The action at the go step is judged: responding (action 1)
/// earns +1 if the trial showed the rewarded cue, not responding (0) earns +1 if it did not, anything else −1;
/// every response also costs <see cref="ResponsePenalty"/>. The reward is seen on the next step. Inputs:
/// cue bits, go bit, bias, t / episode length, previous reward, one-hot previous action.
/// The episode's cues are new each episode, so the association must be learned within it.
/// </summary>
public sealed class CueRewardTask
{
    private readonly Xoshiro256 _rng;
    private readonly int _batch;
    private float[][][] _cueBits = [];
    private int[] _rewarded = [], _trialStep = [], _trialLength = [], _previousAction = [];
    private int[][] _schedule = [];
    private bool[] _shownRewarded = [];
    private float[] _reward = [];
    private int _step;

    public CueRewardTask(int batch, int cues, ulong seed, int cueSize = 20, int episodeLength = 120, float responsePenalty = 0.05f)
    {
        if (cues < 2) throw new ArgumentException("The task needs at least 2 cues.");
        (_batch, Cues, CueSize, EpisodeLength, ResponsePenalty) = (batch, cues, cueSize, episodeLength, responsePenalty);
        _rng = new Xoshiro256(seed);
    }

    public int Cues { get; }
    public int CueSize { get; }
    public int EpisodeLength { get; }
    public float ResponsePenalty { get; }

    /// <summary>Inputs per step: cue bits, go, bias, time, previous reward, previous action (2).</summary>
    public int InputSize => CueSize + 6;

    /// <summary>What the <see cref="InputSize"/> inputs hold, in order (for a model file's record).</summary>
    public string InputLayout => $"cue bits ({CueSize}, ±1), go (1), bias (1), step / {EpisodeLength}, previous reward, one-hot previous action (rest, respond)";

    /// <summary>Trials judged so far in this episode, per batch element (the most reward an episode can earn, before penalties).</summary>
    public int[] TrialsJudged { get; private set; } = [];

    /// <summary>Starts an episode: new cues, a new rewarded cue, a new trial.</summary>
    public void Reset()
    {
        _step = 0;
        _cueBits = new float[_batch][][];
        _rewarded = new int[_batch];
        _trialStep = new int[_batch];
        _trialLength = new int[_batch];
        _schedule = new int[_batch][];
        _shownRewarded = new bool[_batch];
        _reward = new float[_batch];
        _previousAction = Enumerable.Repeat(-1, _batch).ToArray();
        TrialsJudged = new int[_batch];
        for (var b = 0; b < _batch; b++)
        {
            var cues = new List<float[]>();
            while (cues.Count < Cues)
            {
                var candidate = Enumerable.Range(0, CueSize).Select(_ => _rng.NextInt(2) * 2f - 1f).ToArray();
                if (!cues.Any(c => c.AsSpan().SequenceEqual(candidate))) cues.Add(candidate);
            }
            _cueBits[b] = cues.ToArray();
            _rewarded[b] = _rng.NextInt(Cues);
            NewTrial(b);
        }
    }

    /// <summary>The inputs of the current step, [batch, <see cref="InputSize"/>] row-major.</summary>
    public float[] Observe()
    {
        var x = new float[_batch * InputSize];
        for (var b = 0; b < _batch; b++)
        {
            var row = x.AsSpan(b * InputSize, InputSize);
            var cue = _schedule[b][_trialStep[b]];
            if (cue >= 0 && cue < Cues)
            {
                _cueBits[b][cue].CopyTo(row);
                if (cue == _rewarded[b]) _shownRewarded[b] = true;
            }
            if (cue == Cues) row[CueSize] = 1; // go
            row[CueSize + 1] = 1; // bias
            row[CueSize + 2] = (float)_step / EpisodeLength;
            row[CueSize + 3] = _reward[b];
            if (_previousAction[b] >= 0) row[CueSize + 4 + _previousAction[b]] = 1;
        }
        return x;
    }

    /// <summary>Takes the actions (0 rest, 1 respond) of this step and returns the rewards (seen at the next step).</summary>
    public float[] Act(ReadOnlySpan<long> actions)
    {
        for (var b = 0; b < _batch; b++)
        {
            var a = (int)actions[b];
            _reward[b] = a == 1 ? -ResponsePenalty : 0;
            _trialStep[b]++;
            if (_trialStep[b] == _trialLength[b] - 1)
            {
                // The step just taken showed the go signal: judge the response.
                var correct = _shownRewarded[b] ? a == 1 : a == 0;
                _reward[b] += correct ? 1 : -1;
                TrialsJudged[b]++;
            }
            if (_trialStep[b] == _trialLength[b]) NewTrial(b);
            _previousAction[b] = a;
        }
        _step++;
        return (float[])_reward.Clone();
    }

    private void NewTrial(int b)
    {
        _trialStep[b] = 0;
        _shownRewarded[b] = false;
        var length = Cues / 2 + 3 + _rng.NextInt(Cues);
        _trialLength[b] = length;
        var shown = Enumerable.Range(0, Cues).OrderBy(_ => _rng.NextDouble()).Take(Cues / 2).ToList();
        var middle = shown.Concat(Enumerable.Repeat(-1, length - 3 - shown.Count)).OrderBy(_ => _rng.NextDouble()).ToList();
        _schedule[b] = [-1, .. middle, Cues, -1];
    }
}
