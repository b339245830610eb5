#!/usr/bin/env bash
# Consumes the packages as a monitoring app would: packs every package into a folder feed, then creates a console app
# and an xunit test project outside the repository (so its Directory.*.props, central package versions and analyzers
# do not apply), references the packages by version from that feed and nuget.org, builds and runs them.
# - the console app reads docs/examples/incident-web-1 with the readers and must print GI1002 as critical;
# - the test project tests a rule of its own with Gunicorn.Insights.Testing and must pass.
# Exits 0 when both hold. KEEP=1 keeps the temporary folder for inspection.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d)
cleanup() { if [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT
feed="$work/feed"
mkdir -p "$feed"

# The one version of every package, and the versions the repository's own tests use.
prop() { sed -n "s|.*<$1>\(.*\)</$1>.*|\1|p" "$repo/Directory.Build.props" | head -1; }
package_version() { sed -n "s|.*<PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*|\1|p" "$repo/Directory.Packages.props"; }
version=$(prop Version)
case "$version" in
  ''|*-*) echo "consumer test: Directory.Build.props must set a release version (found '$version')" >&2; exit 1 ;;
esac

step() { echo "consumer test: $*"; }
run_logged() {   # run_logged NAME command...: keeps the output, shows its tail on failure
  local log="$work/$1.log"; shift
  if ! "$@" >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "consumer test: failed: $*" >&2
    return 1
  fi
}

step "packing $version into a folder feed"
for project in src/Gunicorn.Insights src/Gunicorn.Insights.Readers rules/Gunicorn.Insights.Rules src/Gunicorn.Insights.Testing; do
  run_logged "pack-$(basename "$project")" dotnet pack "$repo/$project" -c Release -o "$feed"
done
for package in Gunicorn.Insights Gunicorn.Insights.Readers Gunicorn.Insights.Rules Gunicorn.Insights.Testing; do
  [ -f "$feed/$package.$version.nupkg" ] || { echo "consumer test: $package.$version.nupkg was not packed" >&2; exit 1; }
done

# Outside the repository; empty Directory files stop MSBuild looking further up for any.
consumer="$work/consumer"
mkdir -p "$consumer/app" "$consumer/tests" "$work/packages"
for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
  echo '<Project />' >"$consumer/$file"
done
# The freshly packed packages are restored into a folder of their own, so no copy cached by an earlier run is used;
# everything else comes from the machine's cache or nuget.org.
cat >"$consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <clear />
    <add key="local-feed" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="machine-cache" value="${NUGET_PACKAGES:-$HOME/.nuget/packages}" />
  </fallbackPackageFolders>
</configuration>
XML

cat >"$consumer/app/ConsumerApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Gunicorn.Insights" Version="$version" />
    <PackageReference Include="Gunicorn.Insights.Readers" Version="$version" />
    <PackageReference Include="Gunicorn.Insights.Rules" Version="$version" />
    <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="$(package_version Microsoft.Extensions.DependencyInjection)" />
  </ItemGroup>
</Project>
XML
cat >"$consumer/app/Program.cs" <<'CS'
using Gunicorn.Insights;
using Gunicorn.Insights.Readers;
using Microsoft.Extensions.DependencyInjection;

var read = BuiltInReaders.Create().Read([new ArtifactRequest(args[0]) { Instance = "web-1" }]);
using var services = new ServiceCollection().AddGunicornInsights().BuildServiceProvider();
var result = services.GetRequiredService<DeploymentAnalyzer>().Analyze(read.Observations);
foreach (var diagnosis in result.Diagnoses)
{
    Console.WriteLine(diagnosis);
    foreach (var evidence in diagnosis.Evidence)
    {
        Console.WriteLine($"    at {evidence.Location}");
    }
}

Console.WriteLine($"{result.Diagnoses.Count} diagnoses from {read.Inputs.Count} files");
return result.Diagnoses.Count == 0 ? 0 : 1;
CS

cat >"$consumer/tests/ConsumerTests.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <IsPackable>false</IsPackable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Gunicorn.Insights.Testing" Version="$version" />
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="$(package_version Microsoft.NET.Test.Sdk)" />
    <PackageReference Include="xunit" Version="$(package_version xunit)" />
    <PackageReference Include="xunit.runner.visualstudio" Version="$(package_version xunit.runner.visualstudio)" PrivateAssets="all" />
  </ItemGroup>
</Project>
XML
cat >"$consumer/tests/TooShortTimeoutRule.cs" <<'CS'
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Engine;
using Gunicorn.Insights.Observations.Settings;

namespace Consumer.Tests;

// A house rule: the company wants a worker timeout of at least 45 s.
public sealed class TooShortTimeoutRule : Rule
{
    public static InsightDescriptor Descriptor { get; } =
        new("ACME001", "Worker timeout below the house minimum", "timeout is {0}, below the house minimum of 45 s", "House", Severity.Warning);

    public override void Define()
    {
        ConfigParameter timeout = null!;
        When().Match(() => timeout, p => p.Scope == ConfigurationScope.Gunicorn && p.Name == "timeout" && IsBelowMinimum(p.Value));
        Then().Report(Descriptor, () => Finding.Of(timeout.Value).Because(timeout));
    }

    private static bool IsBelowMinimum(SettingValue value) => value.TryGetDuration(out var duration) && duration < TimeSpan.FromSeconds(45);
}
CS
cat >"$consumer/tests/TooShortTimeoutRuleTests.cs" <<'CS'
using Gunicorn.Insights.Diagnostics;
using Gunicorn.Insights.Testing;
using Xunit;

namespace Consumer.Tests;

public sealed class TooShortTimeoutRuleTests
{
    private static readonly RuleFixture Fixture = new RuleFixture().WithRule<TooShortTimeoutRule>();

    [Fact]
    public void A_30_second_timeout_in_gunicorn_conf_py_fires_at_its_line()
    {
        Fixture.GivenArtifact("gunicorn.conf.py", "workers = 3\ntimeout = 30\n")
            .Expect("ACME001").FiresOnce()
            .WithSeverity(Severity.Warning)
            .WithMessageContaining("below the house minimum")
            .WithEvidenceAt("gunicorn.conf.py:2");
    }

    [Fact]
    public void A_60_second_timeout_stays_silent()
    {
        Fixture.GivenArtifact("gunicorn.conf.py", "workers = 3\ntimeout = 60\n").Expect("ACME001").IsSilent();
    }
}
CS

step "building and running a console app against the packages"
run_logged app-build dotnet build "$consumer/app" -c Release
set +e
output=$(dotnet run --project "$consumer/app" -c Release --no-build -- "$repo/docs/examples/incident-web-1" 2>&1)
code=$?
set -e
echo "$output" | grep -E '^GI[0-9]{4} (critical|warning)' | cut -c1-120 | sed 's/^/  /'
if [ "$code" -ne 1 ] || ! grep -q '^GI1002 critical:' <<<"$output"; then
  echo "$output" | tail -20 >&2
  echo "consumer test: the console app did not report GI1002 as critical for the bundled incident (exit $code)" >&2
  exit 1
fi

step "testing a rule of its own with Gunicorn.Insights.Testing"
run_logged tests dotnet test "$consumer/tests" -c Release
summary=$(grep -E '^(Passed|Failed)! ' "$work/tests.log" || true)
echo "  $summary"
if ! grep -qE '^Passed! .*Failed: +0, Passed: +2,' <<<"$summary"; then
  echo "consumer test: the test project did not pass its 2 tests" >&2
  exit 1
fi
step "passed"
