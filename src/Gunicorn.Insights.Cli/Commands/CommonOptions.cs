using System.CommandLine;
using Gunicorn.Insights.Readers;

namespace Gunicorn.Insights.Cli.Commands;

/// <summary>The options several commands share, created per command so each can own its instances.</summary>
internal static class CommonOptions
{
    public static Argument<string[]> Paths(string description)
    {
        var paths = new Argument<string[]>("PATH") { Description = description, Arity = ArgumentArity.ZeroOrMore };

        // A mistyped option would otherwise be taken for a path and reported as a missing file.
        paths.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.StartsWith('-') && token.Value.Length > 1 && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                {
                    result.AddError($"unknown option '{token.Value}'");
                    return;
                }
            }
        });
        return paths;
    }

    public static Option<string[]> Kinds() => new("--kind", "-k")
    {
        Description = "Read PATH as KIND instead of detecting it (repeatable): KIND=PATH, e.g. access-log=app.log. Kinds: "
            + string.Join(", ", ArtifactKindCatalog.All.Select(k => k.Name)) + ".",
        HelpName = "KIND=PATH",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> Instance() => new("--instance")
    {
        Description = "The host, pod or container the inputs describe (diagnoses name it; observations that name their own keep theirs).",
        HelpName = "NAME",
    };

    public static Option<string?> Config() => new("--config", "-c")
    {
        Description = "A Gunicorn.Insights configuration file (JSON): severity overrides, suppressions with a justification, rule parameters (docs/configuration.md).",
        HelpName = "FILE",
    };

    public static Option<string?> Output() => new("--output", "-o")
    {
        Description = "Write the report to FILE instead of standard output.",
        HelpName = "FILE",
    };

    public static Option<bool> NoProgress() => new("--no-progress")
    {
        Description = "Never show the progress display (it shows only on a terminal, for reads that take a while).",
    };

    public static Option<string> Format(string description, params string[] formats)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = description,
            DefaultValueFactory = _ => formats[0],
            HelpName = string.Join('|', formats),
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }
}
