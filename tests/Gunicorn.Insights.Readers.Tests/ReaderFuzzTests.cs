using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gunicorn.Insights.Readers.Input;

namespace Gunicorn.Insights.Readers.Tests;

/// <summary>
/// Every built-in reader against random mutations of every sample: bit flips, truncation, splices of two samples, a
/// 200 KB line, invalid UTF-8 and NUL bytes. No input may make a reader throw, hang, or take much more than a second
/// per megabyte. CI runs <see cref="DefaultIterations"/> mutations per reader; set <c>GUNICORN_INSIGHTS_FUZZ_ITERATIONS</c>
/// (e.g. 100000) for the long run described in docs/readers.md. The seed is fixed, and printed on failure with the input.
/// </summary>
public sealed class ReaderFuzzTests
{
    private const int DefaultIterations = 2_000;

    private static readonly byte[][] Samples = Directory
        .EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Samples"), "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllBytes)
        .ToArray();

    public static TheoryData<string> Readers()
    {
        var data = new TheoryData<string>();
        foreach (var reader in BuiltInReaders.All)
        {
            data.Add(reader.GetType().Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Mutated_inputs_never_make_a_reader_throw_or_hang(string readerName)
    {
        var reader = BuiltInReaders.All.Single(r => r.GetType().Name == readerName);
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("GUNICORN_INSIGHTS_FUZZ_ITERATIONS"), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var configured) ? configured : DefaultIterations;
        var random = new Random(20261124 + readerName.Length * 7919 + readerName[0]);

        for (var i = 0; i < iterations; i++)
        {
            var input = Mutate(random);
            var context = new ReadContext($"fuzz-{i}.log");
            var watch = Stopwatch.StartNew();
            try
            {
                reader.Recognize("fuzz.log", LineSource.FromBytes("fuzz.log", input).Head());
                reader.Read(LineSource.FromBytes($"fuzz-{i}.log", input), context);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException(
                    $"{readerName} threw on mutation {i} ({input.Length} bytes, starting '{Preview(input)}'): {e}", e);
            }

            watch.Stop();
            // A generous bound: the point is that nothing hangs, not speed (benchmarks measure that), on however loaded a machine.
            var allowed = TimeSpan.FromSeconds(Math.Max(30, input.Length / 1_000_000.0 * 2));
            watch.Elapsed.Should().BeLessThan(allowed, $"{readerName} must not hang on mutation {i} ({input.Length} bytes)");
        }
    }

    private static byte[] Mutate(Random random)
    {
        var bytes = Samples[random.Next(Samples.Length)].ToList();
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    var flip = random.Next(bytes.Count);
                    bytes[flip] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                    break;
                case 2:
                    var other = Samples[random.Next(Samples.Length)];
                    var at = random.Next(bytes.Count + 1);
                    bytes.InsertRange(at, other.Skip(random.Next(other.Length + 1)).Take(random.Next(2000)));
                    break;
                case 3:
                    bytes.InsertRange(random.Next(bytes.Count + 1), Encoding.ASCII.GetBytes(new string((char)('a' + random.Next(26)), 200_000)));
                    break;
                case 4:
                    bytes.InsertRange(random.Next(bytes.Count + 1), [0xC3, 0x28, 0xFF, 0xFE, 0xE2, 0x82]);
                    break;
                case 5:
                    bytes.Insert(random.Next(bytes.Count + 1), 0);
                    break;
                default:
                    // Repeat a random line many times: long runs of the same structure.
                    var text = Encoding.UTF8.GetString(bytes.ToArray()).Split('\n');
                    var line = text[random.Next(text.Length)] + "\n";
                    bytes.InsertRange(random.Next(bytes.Count + 1), Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(line, 1 + random.Next(300)))));
                    break;
            }
        }

        return [.. bytes];
    }

    private static string Preview(byte[] input) =>
        Encoding.UTF8.GetString(input.AsSpan(0, Math.Min(60, input.Length))).ReplaceLineEndings("⏎");
}
