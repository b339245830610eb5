using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;

namespace Gunicorn.Insights.Tests.Engine;

/// <summary>The only public rules of the test assembly, so discovery has a known answer.</summary>
public static class DiscoverableRules
{
    public sealed class SecondDiscoverableRule : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server, s => s.Cpus > 64);
            Then().Report(TestDescriptors.ServerSeen, () => Finding.Of(server.Name, server.Cpus).Because(server));
        }
    }

    public sealed class FirstDiscoverableRule : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server, s => s.Cpus == 0);
            Then().Report(TestDescriptors.ServerSeen, () => Finding.Of(server.Name, server.Cpus).Because(server));
        }
    }

    /// <summary>Not discovered: it has no parameterless constructor.</summary>
    public sealed class NeedsArguments(int limit) : Rule
    {
        public override void Define()
        {
            Server server = null!;
            When().Match(() => server, s => s.Cpus > limit);
            Then().Report(TestDescriptors.ServerSeen, () => Finding.Of(server.Name, server.Cpus).Because(server));
        }
    }
}
