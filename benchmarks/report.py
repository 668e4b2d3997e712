#!/usr/bin/env python3
"""Reads one side-by-side run (BenchmarkDotNet's JSON and benchmarks/pytorch/train_bench.py's)
and prints the Markdown tables of docs/performance.md: every figure, the ratios against the
issue's targets, and the fractions of this machine's FMA peak.

Usage: report.py DIR, where DIR holds dotnet/results/*.json and pytorch.json (run-all.sh's layout).
"""

import glob
import json
import os
import sys

NETWORKS = ["SEED", "TINY", "FMNIST"]
# FMNIST again, on Fashion-MNIST test images rather than uniform values: StaticNet skips zero pixels.
IMAGES = "FMNIST-IMAGES"
SYSTEMS = ["StaticNet", "StaticNetTwoThreads", "ScalarLoop", "TensorPrimitives", "OnnxRuntimeOneThread", "OnnxRuntimeTwoThreads"]
LABELS = {
    "StaticNet": "StaticNet",
    "StaticNetTwoThreads": "StaticNet, 2 threads",
    "ScalarLoop": "scalar C# loop",
    "TensorPrimitives": "TensorPrimitives",
    "OnnxRuntimeOneThread": "ONNX Runtime, 1 thread",
    "OnnxRuntimeTwoThreads": "ONNX Runtime, 2 threads",
}
# FLOPs of one FMNIST sample: a multiply and an add per weight. Training does the forward product, the weight
# gradients (as many again) and the input gradients of the layers above the first: no system computes the
# gradient with respect to the data. The usual "three times the forward pass" would count 39% more.
FMNIST_FORWARD_FLOPS = 2 * (784 * 256 + 256 * 128 + 128 * 10)
FMNIST_TRAINING_FLOPS = 2 * FMNIST_FORWARD_FLOPS + 2 * (256 * 128 + 128 * 10)
BATCH = 1024


def load_dotnet(directory):
    """{(type, method, parameters): (median ns, bytes allocated or None)}"""
    results = {}
    for path in glob.glob(os.path.join(directory, "dotnet", "results", "*.json")):
        with open(path) as report:
            for benchmark in json.load(report)["Benchmarks"]:
                statistics = benchmark.get("Statistics")
                if statistics is None:
                    continue  # a benchmark that failed; its row shows as missing
                memory = benchmark.get("Memory")
                results[(benchmark["Type"], benchmark["Method"], benchmark["Parameters"])] = (
                    statistics["Median"], memory["BytesAllocatedPerOperation"] if memory else None)
    return results


def duration(ns):
    if ns is None:
        return "—"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:,.{3 if ns < 10 * scale else 1}f} {unit}"
    return f"{ns:,.1f} ns"


def allocated(value):
    return "—" if value is None else f"{value:,} B"


def main():
    directory = sys.argv[1]
    dotnet = load_dotnet(directory)
    with open(os.path.join(directory, "pytorch.json")) as report:
        pytorch = json.load(report)
    torch = {key: seconds * 1e9 for key, seconds in pytorch["figures"].items()}

    def get(type_name, method, parameters=""):
        return dotnet.get((type_name, method, parameters), (None, None))

    def ratio(numerator, denominator):
        return numerator / denominator if numerator and denominator else None

    # The ceiling: the best of Vector256 and Vector512 (ns per FLOP, so GFLOP/s = 1 / ns).
    peak = {}
    print("### FMA peak\n")
    print("| kernel | one core | two cores |\n|---|---:|---:|")
    for width in ("Vector256", "Vector512"):
        one, _ = get("PeakFmaBenchmarks", f"{width}OneCore")
        two, _ = get("PeakFmaBenchmarks", f"{width}TwoCores")
        print(f"| {width}, 12 accumulators | {1 / one:,.1f} GFLOP/s | {1 / two:,.1f} GFLOP/s |" if one and two else f"| {width} | — | — |")
        peak[1] = max(peak.get(1, 0), 1 / one if one else 0)
        peak[2] = max(peak.get(2, 0), 1 / two if two else 0)

    if peak.get(1) and peak.get(2, 0) < 1.8 * peak[1]:
        # Two cores that add nothing mean the other core was busy during the run: the ceiling of an
        # idle machine is not below twice one core's, so the fractions use that.
        print(f"\nThe two-core kernels reached {peak[2]:,.1f} GFLOP/s, not about twice one core's: the other core "
              f"was busy. Two-core fractions below use 2 × {peak[1]:,.1f} = {2 * peak[1]:,.1f} GFLOP/s.")
        peak[2] = 2 * peak[1]

    def fraction(flops, ns, cores):
        return f"{flops / ns / peak[cores]:.1%}" if ns and peak.get(cores) else "—"

    for type_name, title, pytorch_key in (
            ("InferenceBenchmarks", "Single-sample latency (one call, one sample)", "single"),
            ("BatchInferenceBenchmarks", f"Batch-{BATCH} inference (one call, {BATCH:,} samples)", "batch1024")):
        print(f"\n### {title}\n")
        print("| network | system | median | samples/s | vs StaticNet | allocated | FMNIST: % of FMA peak |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for network in NETWORKS + [IMAGES]:
            rows = 1 if pytorch_key == "single" else BATCH
            mine, _ = get(type_name, "StaticNet", f"Network={network}")
            # A single sample is split by SplitPredictor only where a layer is worth it (FMNIST).
            systems = [s for s in SYSTEMS if rows > 1 or network.startswith("FMNIST") or s != "StaticNetTwoThreads"]
            entries = [(LABELS[s], *get(type_name, s, f"Network={network}"), 2 if "Two" in s else 1) for s in systems]
            entries.append(("PyTorch, 1 thread", torch.get(f"{network}/{pytorch_key}/1t"), None, 1))
            if f"{network}/{pytorch_key}/2t" in torch:
                entries.append(("PyTorch, 2 threads", torch[f"{network}/{pytorch_key}/2t"], None, 2))
            for label, ns, memory, cores in entries:
                slower = ratio(ns, mine)
                share = fraction(rows * FMNIST_FORWARD_FLOPS, ns, cores) if network.startswith("FMNIST") else ""
                print(f"| {network} | {label} | {duration(ns)} | {rows * 1e9 / ns:,.0f} | "
                      f"{f'{slower:,.2f}×' if slower else '—'} | {allocated(memory)} | {share} |" if ns else
                      f"| {network} | {label} | — | — | — | — | |")

    print("\n### Training, FMNIST-shaped data, Adam, categorical cross-entropy\n")
    print("| batch | system | median per step | samples/s | allocated | % of 1-core peak | % of 2-core peak |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for batch in (32, 128):
        entries = [(f"StaticNet, {t} thread{'s' if t > 1 else ''}", *get("TrainingBenchmarks", "AdamStep", f"BatchSize={batch}&Threads={t}")) for t in (1, 2)]
        entries += [(f"PyTorch, {t} thread{'s' if t > 1 else ''}", torch.get(f"FMNIST/train{batch}/{t}t"), None) for t in (1, 2)]
        for label, ns, memory in entries:
            if ns:
                print(f"| {batch} | {label} | {duration(ns)} | {batch * 1e9 / ns:,.0f} | {allocated(memory)} | "
                      f"{fraction(batch * FMNIST_TRAINING_FLOPS, ns, 1)} | {fraction(batch * FMNIST_TRAINING_FLOPS, ns, 2)} |")

    seed_fit, seed_fit_memory = get("SeedFitBenchmarks", "Fit100Epochs")
    print("\n### SEED, the Keras example: 100 epochs, 100 samples, batch 32, MSE, Adam\n")
    print("| system | whole run | allocated |\n|---|---:|---:|")
    print(f"| StaticNet | {duration(seed_fit)} | {allocated(seed_fit_memory)} |")
    print(f"| PyTorch, 1 thread | {duration(torch.get('SEED/fit100/1t'))} | — |")

    def single(network, system):
        return get("InferenceBenchmarks", system, f"Network={network}")[0]

    def batch(network, system):
        return get("BatchInferenceBenchmarks", system, f"Network={network}")[0]

    def step(size):
        """StaticNet's faster thread count, as PyTorch's."""
        return min((t for t in (get("TrainingBenchmarks", "AdamStep", f"BatchSize={size}&Threads={n}")[0] for n in (1, 2)) if t), default=None)

    best_torch_32 = min(t for t in (torch.get("FMNIST/train32/1t"), torch.get("FMNIST/train32/2t")) if t)
    train128 = step(128)
    targets = [
        ("SEED single sample vs scalar loop", ratio(single("SEED", "ScalarLoop"), single("SEED", "StaticNet")), 2, "×"),
        ("SEED single sample vs ONNX Runtime", ratio(single("SEED", "OnnxRuntimeOneThread"), single("SEED", "StaticNet")), 150, "×"),
        ("TINY single sample vs ONNX Runtime", ratio(single("TINY", "OnnxRuntimeOneThread"), single("TINY", "StaticNet")), 15, "×"),
        ("FMNIST single sample, µs (at most)", single("FMNIST", "StaticNet") / 1e3 if single("FMNIST", "StaticNet") else None, 8, " µs"),
        ("FMNIST single sample vs ONNX Runtime, 1 thread", ratio(single("FMNIST", "OnnxRuntimeOneThread"), single("FMNIST", "StaticNet")), 1.6, "×"),
        ("FMNIST single sample split over 2 cores, µs (at most)", single("FMNIST", "StaticNetTwoThreads") / 1e3 if single("FMNIST", "StaticNetTwoThreads") else None, 5, " µs"),
        ("FMNIST single sample split over 2 cores vs ONNX Runtime, 2 threads", ratio(single("FMNIST", "OnnxRuntimeTwoThreads"), single("FMNIST", "StaticNetTwoThreads")), 1.8, "×"),
    ]
    targets += [(label.replace("FMNIST", "FMNIST on test images", 1), value(IMAGES), wanted, unit) for label, value, wanted, unit in (
        ("FMNIST single sample, µs (at most)", lambda n: single(n, "StaticNet") / 1e3 if single(n, "StaticNet") else None, 8, " µs"),
        ("FMNIST single sample vs ONNX Runtime, 1 thread", lambda n: ratio(single(n, "OnnxRuntimeOneThread"), single(n, "StaticNet")), 1.6, "×"),
        ("FMNIST single sample split over 2 cores, µs (at most)", lambda n: single(n, "StaticNetTwoThreads") / 1e3 if single(n, "StaticNetTwoThreads") else None, 5, " µs"),
        ("FMNIST single sample split over 2 cores vs ONNX Runtime, 2 threads", lambda n: ratio(single(n, "OnnxRuntimeTwoThreads"), single(n, "StaticNetTwoThreads")), 1.8, "×"),
    )]
    targets += [(f"{n} batch-{BATCH} throughput vs ONNX Runtime, 1 thread", ratio(batch(n, "OnnxRuntimeOneThread"), batch(n, "StaticNet")), 1, "×") for n in NETWORKS]
    targets += [(f"{n} batch-{BATCH} throughput vs ONNX Runtime, 2 threads", ratio(batch(n, "OnnxRuntimeTwoThreads"), batch(n, "StaticNetTwoThreads")), 1, "×") for n in NETWORKS]
    targets += [
        ("SEED 100-epoch run vs PyTorch", ratio(torch.get("SEED/fit100/1t"), seed_fit), 100, "×"),
        ("FMNIST training, batch 128, share of 2-core FMA peak", 128 * FMNIST_TRAINING_FLOPS / train128 / peak[2] if train128 and peak.get(2) else None, 0.6, ""),
        ("FMNIST training, batch 32, vs PyTorch (each at its faster thread count)", ratio(best_torch_32, step(32)), 3, "×"),
    ]
    print("\n### Against the targets\n")
    print("| target | measured | wanted | met |\n|---|---:|---:|:-:|")
    for label, value, wanted, unit in targets:
        if value is None:
            print(f"| {label} | — | {wanted}{unit} | — |")
            continue
        met = value <= wanted if "at most" in label else value >= wanted
        shown = f"{value:.0%}" if unit == "" else f"{value:,.2f}{unit}"
        print(f"| {label} | {shown} | {f'{wanted:.0%}' if unit == '' else f'{wanted}{unit}'} | {'yes' if met else 'no'} |")
    allocations = [get(t, "StaticNet", f"Network={n}")[1] for t in ("InferenceBenchmarks", "BatchInferenceBenchmarks") for n in NETWORKS]
    allocations += [get("BatchInferenceBenchmarks", "StaticNetTwoThreads", f"Network={n}")[1] for n in NETWORKS]
    allocations += [get("InferenceBenchmarks", "StaticNetTwoThreads", f"Network={n}")[1] for n in ("FMNIST", IMAGES)]
    allocations += [get(t, "StaticNet", f"Network={IMAGES}")[1] for t in ("InferenceBenchmarks", "BatchInferenceBenchmarks")]
    allocations += [get("TrainingBenchmarks", "AdamStep", f"BatchSize={b}&Threads={t}")[1] for b in (32, 128) for t in (1, 2)]
    zero = all(a == 0 for a in allocations)
    print(f"| 0 bytes per Predict, PredictBatch and training step | {max((a for a in allocations if a is not None), default=0):,} B at most | 0 B | {'yes' if zero else 'no'} |")

    blas = pytorch["blas"]
    print(f"\nPyTorch {pytorch['torch']}; BLAS loaded: {', '.join(os.path.basename(p) for p in blas['mapped'])}"
          f"{'; OpenBLAS kernel ' + blas['openblas_core'] if 'openblas_core' in blas else ''}.")


if __name__ == "__main__":
    main()
