using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Settings;
using Gunicorn.Insights.Rules.Derivations;

namespace Gunicorn.Insights.Rules.Capacity;

/// <summary>
/// GI2004: "Request queueing in connection backlog due to insufficient workers" and "Requests queue in connection
/// backlog when workers are saturated" — whenever the worker pool saturates (every worker busy, or nginx refused for a
/// full backlog), new connections wait in the listen backlog, a wait no Gunicorn request metric includes.
/// </summary>
public sealed class ConnectionBacklogQueueingRule : Rule
{
    /// <inheritdoc />
    public override void Define()
    {
        WorkerPoolSaturation saturation = null!;

        When()
            .Match(() => saturation);
        Then()
            .Report(CapacityDescriptors.ConnectionBacklogQueueing, () => Finding
                .Of(CapacityFacts.Describe(saturation), saturation.Configuration.Backlog,
                    saturation.Configuration[GunicornSettingCatalog.Backlog.Name].IsDefault ? ", Gunicorn's default" : "")
                .Because(saturation, saturation.Configuration[GunicornSettingCatalog.Backlog.Name]));
    }
}
