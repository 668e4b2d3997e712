#!/usr/bin/env bash
# What the generated code costs a user's build: the lines generated for SEED (2-5-1), TINY (16-64-64-4)
# and FMNIST (784-256-128-10), and the compile time per network of a project that declares 60 random
# small networks, against the same project with none; and what compiled-in weights cost: FMNIST declared with
# the Embedded sample's trained model (941 KB) against FMNIST alone, rebuilt in full (the model's text copy
# written again) and rebuilt after an edit to the code (the copy kept). The project lives in a temporary folder inside
# the repository (so it builds with the repository's settings and the generator as an analyzer) and is
# removed afterwards. Each build runs three times; the minimum counts. About 5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
work="$root/benchmarks/.build-cost"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

cat > "$work/BuildCost.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <UsesStaticNet>true</UsesStaticNet>
    <IsPackable>false</IsPackable>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup Condition="'$(Weights)' == 'true'">
    <AdditionalFiles Include="fashion-mnist.safetensors" />
  </ItemGroup>
</Project>
EOF
cp "$root/samples/Embedded/fashion-mnist.safetensors" "$work/"

# 60 networks of 1 to 3 hidden layers of 2 to 64 units, on 2 to 32 inputs, from a fixed seed.
python3 - "$work" <<'EOF'
import random, sys
rng = random.Random(60)
activations = ["ReLU", "Tanh", "Sigmoid", "GELU", "SiLU", "LeakyReLU", "ELU", "Softplus", "Linear"]
lines = ["using StaticNet;", "namespace BuildCost;"]
for n in range(60):
    layers = [f"[Dense({rng.randint(2, 64)}, Activation.{rng.choice(activations)})]" for _ in range(rng.randint(1, 3))]
    layers.append(f"[Dense({rng.randint(1, 10)}, Activation.{rng.choice(['Linear', 'Sigmoid', 'Softmax'])})]")
    lines.append(f"[Network(Inputs = {rng.randint(2, 32)})] {' '.join(layers)} public partial class Net{n};")
open(sys.argv[1] + "/Networks.cs.txt", "w").write("\n".join(lines) + "\n")
open(sys.argv[1] + "/Reference.cs.txt", "w").write(
    "using StaticNet;\nnamespace BuildCost;\n"
    "[Network(Inputs = 2)] [Dense(5, Activation.ReLU)] [Dense(1, Activation.Sigmoid)] public partial class Seed;\n"
    "[Network(Inputs = 16)] [Dense(64, Activation.ReLU)] [Dense(64, Activation.ReLU)] [Dense(4)] public partial class Tiny;\n"
    "[Network(Inputs = 784)] [Dense(256, Activation.ReLU)] [Dense(128, Activation.ReLU)] [Dense(10, Activation.Softmax)] public partial class Fmnist;\n"
    "[Network(Inputs = 784, Training = false)] [Dense(256, Activation.ReLU)] [Dense(128, Activation.ReLU)] [Dense(10, Activation.Softmax)] public partial class FmnistInference;\n")
EOF

dotnet build "$root/src/StaticNet" -c Release --nologo -v q >/dev/null
dotnet build "$root/generator/StaticNet.Generator" -c Release --nologo -v q >/dev/null

# Seconds of the fastest of three rebuilds of the project alone (its references already built).
# Extra arguments go to dotnet build; "edit" touches the source first and builds incrementally instead.
build_seconds() {
  local best="" mode="${1:-}"
  [ "$mode" = edit ] && shift
  for _ in 1 2 3; do
    local start end
    if [ "$mode" = edit ]; then
      touch "$work/Networks.cs"
      start=$(date +%s.%N)
      dotnet build "$work/BuildCost.csproj" -c Release --nologo -v q --no-dependencies "$@" >/dev/null
    else
      start=$(date +%s.%N)
      dotnet build "$work/BuildCost.csproj" -c Release --nologo -v q --no-dependencies --no-incremental "$@" >/dev/null
    fi
    end=$(date +%s.%N)
    best=$(python3 -c "import sys; a=float('$end')-float('$start'); b='$best'; print(a if not b else min(a, float(b)))")
  done
  echo "$best"
}

generated="$work/obj/Release/net10.0/generated/StaticNet.Generator/StaticNet.Generator.NetworkGenerator"

cp "$work/Reference.cs.txt" "$work/Networks.cs"
dotnet build "$work/BuildCost.csproj" -c Release --nologo -v q >/dev/null
for net in Seed Tiny Fmnist FmnistInference; do
  printf '%-15s %5d generated lines\n' "$net" "$(wc -l < "$generated/BuildCost.$net.g.cs")"
done

printf 'using StaticNet;\nnamespace BuildCost;\n' > "$work/Networks.cs"
# The reference networks' files would otherwise stay among the generated ones counted below.
rm -rf "$generated"
none=$(build_seconds)
cp "$work/Networks.cs.txt" "$work/Networks.cs"
sixty=$(build_seconds)
lines=$(cat "$generated"/*.g.cs | wc -l)
python3 -c "none=$none; sixty=$sixty; print(f'build without networks {none:.2f} s, with 60: {sixty:.2f} s, {(sixty - none) / 60 * 1000:.0f} ms per network; {$lines} generated lines in all')"
sed 's/\[Network(Inputs = \([0-9]*\))\]/[Network(Inputs = \1, Training = false)]/' "$work/Networks.cs.txt" > "$work/Networks.cs"
rm -rf "$generated"
inference=$(build_seconds)
inference_lines=$(cat "$generated"/*.g.cs | wc -l)
python3 -c "print(f'the same 60 for inference only (Training = false): {$inference:.2f} s, {($inference - $none) / 60 * 1000:.0f} ms per network; {$inference_lines} generated lines in all')"

fmnist='[Network(Inputs = 784)] [Dense(256, Activation.ReLU)] [Dense(128, Activation.ReLU)] [Dense(10, Activation.Softmax)] public partial class Fmnist;'
printf 'using StaticNet;\nnamespace BuildCost;\n%s\n' "$fmnist" > "$work/Networks.cs"
plain_full=$(build_seconds)
plain_edit=$(build_seconds edit)
printf 'using StaticNet;\nnamespace BuildCost;\n%s\n' "${fmnist/Inputs = 784/Inputs = 784, Weights = \"fashion-mnist.safetensors\"}" > "$work/Networks.cs"
weights_full=$(build_seconds -p:Weights=true)
weights_edit=$(build_seconds edit -p:Weights=true)
size=$(stat -c %s "$work/bin/Release/net10.0/BuildCost.dll")
python3 -c "print(f'FMNIST rebuilt in full: {$plain_full:.2f} s alone, {$weights_full:.2f} s with its weights compiled in (+{$weights_full - $plain_full:.2f} s); after a code edit: {$plain_edit:.2f} s and {$weights_edit:.2f} s (+{$weights_edit - $plain_edit:.2f} s); assembly with the weights {$size:,} bytes')"
