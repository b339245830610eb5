using System.Globalization;

namespace Gunicorn.Insights.Benchmarks.Generation;

/// <summary>
/// <c>generate --kind error-log|access-log --size 512MB --out FILE [--seed N]</c>: writes a large realistic input.
/// An access log gets the <c>gunicorn.conf.py</c> declaring its format beside it, so a folder read finds both.
/// </summary>
public static class GenerateCommand
{
    /// <summary>The seed used when none is given, so every run of the benchmarks reads the same bytes.</summary>
    public const int DefaultSeed = 20261124;

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? kind = null, size = null, output = null;
        var seed = DefaultSeed;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--kind": kind = args[i + 1]; break;
                case "--size": size = args[i + 1]; break;
                case "--out": output = args[i + 1]; break;
                case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        if (kind is null || size is null || output is null || args.Count % 2 != 0)
        {
            Console.Error.WriteLine("usage: generate --kind error-log|access-log --size 512MB --out FILE [--seed N]");
            return 2;
        }

        var log = Generate(kind, ByteCount.Parse(size), output, seed);
        if (log is null)
        {
            Console.Error.WriteLine($"unknown kind '{kind}' (error-log or access-log)");
            return 2;
        }

        Console.WriteLine($"{output}: {log}");
        return 0;
    }

    /// <summary>Writes the input; null when <paramref name="kind"/> is unknown.</summary>
    public static GeneratedLog? Generate(string kind, long bytes, string output, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(output);
        var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(folder);
        switch (kind)
        {
            case "error-log":
                return WriteAtomically(output, stream => new ErrorLogGenerator(seed).Write(stream, bytes));
            case "access-log":
                File.WriteAllText(Path.Combine(folder, "gunicorn.conf.py"), AccessLogGenerator.Configuration);
                return WriteAtomically(output, stream => new AccessLogGenerator(seed).Write(stream, bytes));
            default:
                return null;
        }
    }

    private static GeneratedLog WriteAtomically(string output, Func<Stream, GeneratedLog> write)
    {
        // An interrupted run must not leave a short file that a later run would take for a finished one.
        var partial = output + ".partial";
        var log = write(new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.SequentialScan));
        File.Move(partial, output, overwrite: true);
        return log;
    }
}
