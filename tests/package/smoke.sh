#!/usr/bin/env bash
# Packs src/StaticNet into one package and proves that a fresh project referencing only that
# package (and the packages it depends on, copied from the restore cache), restored from a local
# folder and nothing else, builds and runs a declared network: the generator travels inside the
# package under analyzers/dotnet/cs, and its build files compile a trained model into the program.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet pack "$root/src/StaticNet" -c Release -o "$work/feed" --nologo -v quiet

packages=("$work"/feed/StaticNet.*.nupkg)
if [ "${#packages[@]}" -ne 1 ]; then
  echo "expected exactly one package, found: ${packages[*]}" >&2
  exit 1
fi
package="${packages[0]}"
# Listings go into variables first: grep -q stops reading early, which pipefail would report.
listing="$(unzip -l "$package")"
nuspec="$(unzip -p "$package" '*.nuspec')"
grep -q "analyzers/dotnet/cs/StaticNet.Generator.dll" <<<"$listing" \
  || { echo "the package does not carry the generator under analyzers/dotnet/cs" >&2; exit 1; }
grep -q "lib/net10.0/StaticNet.dll" <<<"$listing" \
  || { echo "the package does not carry the runtime under lib/net10.0" >&2; exit 1; }
for targets in build/StaticNet.targets buildTransitive/StaticNet.targets; do
  grep -q "$targets" <<<"$listing" || { echo "the package does not carry $targets" >&2; exit 1; }
done
if grep -q 'id="StaticNet.Generator"' <<<"$nuspec"; then
  echo "the package depends on a separate generator package" >&2
  exit 1
fi
# The runtime's dependencies (Sep, and what Sep needs) are in the global packages folder since
# the build; copy each package's dependencies into the feed, transitively. Dependencies of other
# target frameworks that this build never restored are not in the cache and not needed.
cache="$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: //')"
copy_dependencies() {
  unzip -p "$1" '*.nuspec' | grep -oE '<dependency id="[^"]+" version="[^"]+"' \
    | sed -E 's/.*id="([^"]+)" version="\[?([^],"]+).*/\1 \2/' | sort -u \
    | while read -r id dependency_version; do
        lower="$(echo "$id" | tr '[:upper:]' '[:lower:]')"
        nupkg="$cache/$lower/$dependency_version/$lower.$dependency_version.nupkg"
        if [ -f "$nupkg" ] && [ ! -f "$work/feed/$lower.$dependency_version.nupkg" ]; then
          cp "$nupkg" "$work/feed/"
          copy_dependencies "$nupkg"
        fi
      done
}
copy_dependencies "$package"
version="$(basename "$package" .nupkg)"
version="${version#StaticNet.}"

mkdir -p "$work/consumer"
cat > "$work/consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat > "$work/consumer/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="StaticNet" Version="$version" />
    <AdditionalFiles Include="seed.safetensors" />
    <None Include="seed.safetensors" CopyToOutputDirectory="PreserveNewest" />
  </ItemGroup>
</Project>
XML
cp "$root/tests/StaticNet.Tests/Data/seednet-seed3.safetensors" "$work/consumer/seed.safetensors"
cat > "$work/consumer/Program.cs" <<'CS'
using System;
using System.IO;
using StaticNet;

var model = new XorNet(seed: 3);
float[,] x = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
float[,] y = { { 0 }, { 1 }, { 1 }, { 0 } };
model.Fit(x, y, new FitOptions { Loss = Loss.BinaryCrossEntropy, Optimizer = new Adam(0.05f), Epochs = 400, BatchSize = 4, Seed = 1, Verbose = Verbosity.Silent });
Span<float> output = stackalloc float[XorNet.OutputSize];
model.Predict([1f, 0f], output);
Console.WriteLine($"inputs {XorNet.InputSize}, parameters {XorNet.ParameterCount}, xor(1, 0) = {output[0]:0.00}");

var compiledIn = new TrainedSeed();
var loaded = ModelFile.Load<TrainedSeed>(Path.Combine(AppContext.BaseDirectory, "seed.safetensors"));
float[] a = new float[TrainedSeed.ParameterCount], b = new float[TrainedSeed.ParameterCount];
compiledIn.CopyParametersTo(a);
loaded.CopyParametersTo(b);
Console.WriteLine($"compiled-in weights equal the file's: {a.AsSpan().SequenceEqual(b) && Array.Exists(a, v => v != 0)}");

[Network(Inputs = 2)]
[Dense(8, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
partial class XorNet;

[Network(Inputs = 2, Weights = "seed.safetensors")]
[Dense(5, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
partial class TrainedSeed;
CS

export NUGET_PACKAGES="$work/packages"
output="$(dotnet run --project "$work/consumer" -c Release --nologo)"
echo "$output"
grep -Eq '^inputs 2, parameters 33, xor\(1, 0\) = (0\.9[0-9]|1\.00)$' <<<"$output" \
  || { echo "the consumer did not print the expected result" >&2; exit 1; }
grep -q '^compiled-in weights equal the file.s: True$' <<<"$output" \
  || { echo "the consumer's compiled-in weights are not the file's" >&2; exit 1; }
echo "package smoke test passed: $(basename "$package")"
