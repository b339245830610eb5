namespace Gunicorn.Insights.Observations.Hosts;

/// <summary>Where Gunicorn runs; several rules only apply on some platforms.</summary>
public enum PlatformKind
{
    /// <summary>Not known.</summary>
    Unknown,

    /// <summary>A bare-metal host or virtual machine, supervised by hand or by an init system other than systemd.</summary>
    VirtualMachine,

    /// <summary>A host where systemd supervises Gunicorn (a <c>gunicorn.service</c>, maybe a <c>gunicorn.socket</c>).</summary>
    Systemd,

    /// <summary>A Docker container.</summary>
    Docker,

    /// <summary>A Kubernetes pod.</summary>
    Kubernetes,

    /// <summary>Google App Engine (standard or flexible).</summary>
    GoogleAppEngine,

    /// <summary>Google Cloud Run.</summary>
    GoogleCloudRun,

    /// <summary>Heroku dynos.</summary>
    Heroku,

    /// <summary>Azure App Service on Linux.</summary>
    AzureAppService,
}
