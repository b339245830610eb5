using System.Text.Json;

namespace Gunicorn.Insights.Cli.Tests;

/// <summary>
/// The SARIF 2.1.0 schema's constraints on the objects the tool writes (sarif-schema-2.1.0.json: required properties,
/// enums, minimums, formats), checked on a document; every violation is returned with its JSON path.
/// </summary>
public static class SarifShape
{
    private static readonly string[] Levels = ["none", "note", "warning", "error"];
    private static readonly string[] SuppressionKinds = ["inSource", "external"];

    public static IReadOnlyList<string> Violations(JsonElement log)
    {
        var problems = new List<string>();
        Require(log, "$", problems, "version", "runs");
        if (log.TryGetProperty("version", out var version) && version.GetString() != "2.1.0")
        {
            problems.Add("$.version must be \"2.1.0\"");
        }

        if (log.TryGetProperty("$schema", out var schema) && !System.Uri.IsWellFormedUriString(schema.GetString(), UriKind.Absolute))
        {
            problems.Add("$.$schema must be an absolute URI");
        }

        var runs = Array(log, "runs", "$", problems);
        for (var r = 0; r < runs.Length; r++)
        {
            Run(runs[r], $"$.runs[{r}]", problems);
        }

        return problems;
    }

    private static void Run(JsonElement run, string path, List<string> problems)
    {
        Require(run, path, problems, "tool");
        var driver = run.GetProperty("tool").GetProperty("driver");
        Require(driver, $"{path}.tool.driver", problems, "name");
        var rules = Array(driver, "rules", $"{path}.tool.driver", problems);
        var ids = new List<string>();
        for (var i = 0; i < rules.Length; i++)
        {
            var rulePath = $"{path}.tool.driver.rules[{i}]";
            Require(rules[i], rulePath, problems, "id");
            ids.Add(rules[i].GetProperty("id").GetString()!);
            foreach (var message in new[] { "shortDescription", "fullDescription", "help" })
            {
                if (rules[i].TryGetProperty(message, out var text))
                {
                    Require(text, $"{rulePath}.{message}", problems, "text");
                }
            }

            if (rules[i].TryGetProperty("defaultConfiguration", out var configuration))
            {
                Enum(configuration, "level", Levels, $"{rulePath}.defaultConfiguration", problems);
            }

            Uri(rules[i], "helpUri", UriKind.Absolute, rulePath, problems);
        }

        if (ids.Distinct().Count() != ids.Count)
        {
            problems.Add($"{path}.tool.driver.rules: ids must be unique");
        }

        foreach (var invocation in Array(run, "invocations", path, problems, optional: true))
        {
            Require(invocation, $"{path}.invocations[]", problems, "executionSuccessful");
            foreach (var notification in Array(invocation, "toolExecutionNotifications", $"{path}.invocations[]", problems, optional: true))
            {
                Require(notification, $"{path}.invocations[].toolExecutionNotifications[]", problems, "message");
                Message(notification.GetProperty("message"), $"{path}.invocations[].toolExecutionNotifications[].message", problems);
                Enum(notification, "level", Levels, $"{path}.invocations[].toolExecutionNotifications[]", problems);
                foreach (var location in Array(notification, "locations", "notification", problems, optional: true))
                {
                    Location(location, $"{path}.invocations[].toolExecutionNotifications[].locations[]", problems);
                }
            }
        }

        foreach (var artifact in Array(run, "artifacts", path, problems, optional: true))
        {
            if (artifact.TryGetProperty("location", out var location))
            {
                ArtifactLocation(location, $"{path}.artifacts[].location", problems);
            }
        }

        var results = Array(run, "results", path, problems, optional: true);
        for (var i = 0; i < results.Length; i++)
        {
            var resultPath = $"{path}.results[{i}]";
            var result = results[i];
            Require(result, resultPath, problems, "message");
            if (result.TryGetProperty("message", out var resultMessage))
            {
                Message(resultMessage, $"{resultPath}.message", problems);
            }

            Enum(result, "level", Levels, resultPath, problems);
            if (result.TryGetProperty("ruleIndex", out var index))
            {
                if (index.GetInt32() < -1 || index.GetInt32() >= ids.Count)
                {
                    problems.Add($"{resultPath}.ruleIndex out of range");
                }
                else if (result.TryGetProperty("ruleId", out var ruleId) && ids[index.GetInt32()] != ruleId.GetString())
                {
                    problems.Add($"{resultPath}.ruleIndex does not point at ruleId {ruleId.GetString()}");
                }
            }

            foreach (var name in new[] { "locations", "relatedLocations" })
            {
                foreach (var location in Array(result, name, resultPath, problems, optional: true))
                {
                    Location(location, $"{resultPath}.{name}[]", problems);
                }
            }

            foreach (var suppression in Array(result, "suppressions", resultPath, problems, optional: true))
            {
                Require(suppression, $"{resultPath}.suppressions[]", problems, "kind");
                Enum(suppression, "kind", SuppressionKinds, $"{resultPath}.suppressions[]", problems);
            }
        }
    }

    private static void Location(JsonElement location, string path, List<string> problems)
    {
        if (location.TryGetProperty("id", out var id) && id.GetInt32() < -1)
        {
            problems.Add($"{path}.id must be ≥ -1");
        }

        if (location.TryGetProperty("message", out var message))
        {
            Message(message, $"{path}.message", problems);
        }

        if (!location.TryGetProperty("physicalLocation", out var physical))
        {
            return;
        }

        if (!physical.TryGetProperty("artifactLocation", out var artifact) && !physical.TryGetProperty("address", out _))
        {
            problems.Add($"{path}.physicalLocation needs artifactLocation or address");
            return;
        }

        ArtifactLocation(artifact, $"{path}.physicalLocation.artifactLocation", problems);
        if (physical.TryGetProperty("region", out var region) && region.TryGetProperty("startLine", out var line) && line.GetInt32() < 1)
        {
            problems.Add($"{path}.physicalLocation.region.startLine must be ≥ 1");
        }
    }

    private static void ArtifactLocation(JsonElement location, string path, List<string> problems) =>
        Uri(location, "uri", UriKind.RelativeOrAbsolute, path, problems);

    private static void Message(JsonElement message, string path, List<string> problems)
    {
        if (!message.TryGetProperty("text", out _) && !message.TryGetProperty("id", out _))
        {
            problems.Add($"{path} needs text or id");
        }
    }

    private static void Require(JsonElement element, string path, List<string> problems, params string[] names)
    {
        foreach (var name in names)
        {
            if (!element.TryGetProperty(name, out _))
            {
                problems.Add($"{path}.{name} is required");
            }
        }
    }

    private static JsonElement[] Array(JsonElement element, string name, string path, List<string> problems, bool optional = false)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            if (!optional)
            {
                problems.Add($"{path}.{name} is required");
            }

            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{path}.{name} must be an array");
            return [];
        }

        return value.EnumerateArray().ToArray();
    }

    private static void Enum(JsonElement element, string name, string[] allowed, string path, List<string> problems)
    {
        if (element.TryGetProperty(name, out var value) && !allowed.Contains(value.GetString()))
        {
            problems.Add($"{path}.{name} '{value.GetString()}' is not one of {string.Join(", ", allowed)}");
        }
    }

    private static void Uri(JsonElement element, string name, UriKind kind, string path, List<string> problems)
    {
        if (element.TryGetProperty(name, out var value) && !System.Uri.IsWellFormedUriString(value.GetString(), kind))
        {
            problems.Add($"{path}.{name} '{value.GetString()}' is not a well-formed URI");
        }
    }
}
