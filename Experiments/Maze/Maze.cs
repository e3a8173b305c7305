using SpikeSim.Simulator.Random;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// A random 2D maze (Wang et al. 2022): a size × size grid with walls on the border and each inner cell a wall
/// with probability <c>wallDensity</c>, a start and a goal on free cells, redrawn until the goal is reachable.
/// </summary>
public sealed class Maze
{
    private readonly bool[,] _wall;
    private readonly float[] _views;

    private Maze(bool[,] wall, (int R, int C) start, (int R, int C) goal)
    {
        (_wall, Start, Goal) = (wall, start, goal);
        var size = wall.GetLength(0);
        _views = new float[size * size * 9];
        for (var r = 0; r < size; r++)
        for (var c = 0; c < size; c++)
        {
            var k = (r * size + c) * 9;
            for (var dr = -1; dr <= 1; dr++)
                for (var dc = -1; dc <= 1; dc++)
                    _views[k++] = IsWall(r + dr, c + dc) ? 1 : (r + dr, c + dc) == goal ? -1 : 0;
        }
    }

    public int Size => _wall.GetLength(0);
    public (int R, int C) Start { get; }
    public (int R, int C) Goal { get; }
    public bool IsWall(int r, int c) => r < 0 || c < 0 || r >= Size || c >= Size || _wall[r, c];

    /// <summary>What an agent at (r, c) sees: its 3×3 neighbourhood row by row, wall 1, goal −1, free 0.</summary>
    public ReadOnlySpan<float> View(int r, int c) => _views.AsSpan((r * Size + c) * 9, 9);

    /// <summary>Moves: up, right, down, left.</summary>
    public static readonly (int Dr, int Dc)[] Moves = [(-1, 0), (0, 1), (1, 0), (0, -1)];

    /// <summary>A solvable maze from <paramref name="seed"/>.</summary>
    public static Maze Generate(int size, ulong seed, double wallDensity = 0.35)
    {
        if (size < 5) throw new ArgumentException("A maze needs a size of at least 5.");
        var rng = new Xoshiro256(seed);
        for (var attempt = 0; ; attempt++)
        {
            var wall = new bool[size, size];
            var free = new List<(int, int)>();
            for (var r = 0; r < size; r++)
            for (var c = 0; c < size; c++)
            {
                wall[r, c] = r == 0 || c == 0 || r == size - 1 || c == size - 1 || rng.NextDouble() < wallDensity;
                if (!wall[r, c]) free.Add((r, c));
            }
            if (free.Count < 2) continue;
            var start = free[rng.NextInt(free.Count)];
            var goal = free[rng.NextInt(free.Count)];
            if (goal == start) continue;
            var maze = new Maze(wall, start, goal);
            if (maze.ShortestPath() is not null) return maze;
        }
    }

    /// <summary>Steps of the shortest path from start to goal (breadth-first), or null if there is none.</summary>
    public int? ShortestPath()
    {
        var distance = new int[Size, Size];
        for (var r = 0; r < Size; r++) for (var c = 0; c < Size; c++) distance[r, c] = -1;
        var queue = new Queue<(int R, int C)>();
        queue.Enqueue(Start);
        distance[Start.R, Start.C] = 0;
        while (queue.Count > 0)
        {
            var (r, c) = queue.Dequeue();
            if ((r, c) == Goal) return distance[r, c];
            foreach (var (dr, dc) in Moves)
            {
                var (nr, nc) = (r + dr, c + dc);
                if (IsWall(nr, nc) || distance[nr, nc] >= 0) continue;
                distance[nr, nc] = distance[r, c] + 1;
                queue.Enqueue((nr, nc));
            }
        }
        return null;
    }
}
