namespace SpikeSim.Tests.Support;

/// <summary>Seeded damage for mutation tests: bit flips, truncation, or a random byte, in turn.</summary>
public static class Damage
{
    public static byte[] Apply(byte[] valid, int trial, SpikeSim.Simulator.Random.Xoshiro256 rng)
    {
        var bytes = (byte[])valid.Clone();
        switch (trial % 3)
        {
            case 0: for (var k = 0; k < 1 + rng.NextInt(8); k++) bytes[rng.NextInt(bytes.Length)] ^= (byte)(1 << rng.NextInt(8)); break;
            case 1: bytes = bytes[..rng.NextInt(bytes.Length)]; break;
            default: bytes[rng.NextInt(bytes.Length)] = (byte)rng.NextInt(256); break;
        }
        return bytes;
    }
}
