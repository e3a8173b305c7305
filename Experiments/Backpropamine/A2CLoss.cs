using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary>
/// The advantage actor-critic loss of Backpropamine's code over one episode of a batch, and its gradient with
/// respect to the policy logits and the value (for networks that back-propagate by hand):
/// <code>
/// R(t) = r(t) + γ·R(t+1)           A(t) = R(t) − V(t)   (held fixed in the policy term)
/// L = Σ_t Σ_b [c_e·Σ_a π_a² − log π(a_t)·A(t) + c_v·A(t)²] / (B·T)
/// ∂L/∂logit_k = [2·c_e·π_k·(π_k − Σ_a π_a²) − A·(1[k = a_t] − π_k)] / (B·T)      ∂L/∂V = −2·c_v·A / (B·T)
/// </code>
/// (c_e·Σπ² is the code's entropy penalty: it is smallest for a uniform policy.)
/// </summary>
public static class A2CLoss
{
    /// <summary>
    /// Writes ∂L/∂heads into <paramref name="gradHeads"/> [T, B, K] for heads laid out as [T, B, K] with the
    /// <paramref name="actions"/> logits first and the value next (other columns get 0); returns L.
    /// </summary>
    public static double Gradients(ReadOnlySpan<float> heads, ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards,
        int steps, int batch, int headWidth, int actionCount, A2CSettings settings, Span<float> gradHeads)
    {
        if (heads.Length != steps * batch * headWidth || gradHeads.Length != heads.Length || actions.Length != steps * batch || rewards.Length != steps * batch)
            throw new ArgumentException("heads and gradHeads are [T, B, K], actions and rewards [T, B].");
        gradHeads.Clear();
        var scale = 1.0 / (batch * steps);
        var returns = new double[batch];
        Span<double> pi = stackalloc double[actionCount];
        double loss = 0;
        for (var t = steps - 1; t >= 0; t--)
            for (var b = 0; b < batch; b++)
            {
                var row = (t * batch + b) * headWidth;
                returns[b] = rewards[t * batch + b] + settings.Gamma * returns[b];
                var advantage = returns[b] - heads[row + actionCount];
                double max = double.NegativeInfinity, sum = 0, squares = 0;
                for (var k = 0; k < actionCount; k++) max = Math.Max(max, heads[row + k]);
                for (var k = 0; k < actionCount; k++) sum += pi[k] = Math.Exp(heads[row + k] - max);
                for (var k = 0; k < actionCount; k++) squares += (pi[k] /= sum) * pi[k];
                var taken = actions[t * batch + b];
                loss += (settings.EntropyWeight * squares - Math.Log(pi[taken]) * advantage + settings.ValueWeight * advantage * advantage) * scale;
                for (var k = 0; k < actionCount; k++)
                    gradHeads[row + k] = (float)((2 * settings.EntropyWeight * pi[k] * (pi[k] - squares) - advantage * ((k == taken ? 1 : 0) - pi[k])) * scale);
                gradHeads[row + actionCount] = (float)(-2 * settings.ValueWeight * advantage * scale);
            }
        return loss;
    }
}
