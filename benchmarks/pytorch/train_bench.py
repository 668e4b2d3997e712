#!/usr/bin/python3
"""PyTorch's side of the StaticNet comparison: the same networks, data sizes and hyper-parameters
as benchmarks/StaticNet.Benchmarks, timed the way PyTorch runs fastest (plain tensors, no
DataLoader, inference_mode, zero_grad(set_to_none=True)).

Run it with Debian's python3 (python3-torch) and OpenBLAS selected; benchmarks/run-all.sh does
both. Prints a table and, with --json PATH, writes the medians for benchmarks/report.py.
"""

import argparse
import ctypes
import json
import platform
import statistics
import sys
import time

import torch
from torch import nn

SHAPES = {
    "SEED": (2, [(5, "relu"), (1, "sigmoid")]),
    "TINY": (16, [(64, "relu"), (64, "relu"), (4, "linear")]),
    "FMNIST": (784, [(256, "relu"), (128, "relu"), (10, "softmax")]),
}


def network(name, with_softmax=True):
    """nn.Sequential of the named network; the softmax is left out where the loss fuses it."""
    inputs, layers = SHAPES[name]
    modules = []
    for units, activation in layers:
        modules.append(nn.Linear(inputs, units))
        if activation == "relu":
            modules.append(nn.ReLU())
        elif activation == "sigmoid":
            modules.append(nn.Sigmoid())
        elif activation == "softmax" and with_softmax:
            modules.append(nn.Softmax(dim=-1))
        inputs = units
    return nn.Sequential(*modules)


def median_seconds(run, calls, repeats):
    """Median over `repeats` timings of `calls` calls, per call: BenchmarkDotNet reports medians too."""
    run()  # warm-up: first-call allocations and kernel selection
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            run()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def blas_in_use():
    """The BLAS shared object this process mapped, and OpenBLAS' own word on its kernel and threading."""
    a = torch.randn(256, 256)
    a @ a  # make sure the BLAS is loaded, not merely linked
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    info = {"mapped": paths}
    for path in paths:
        if "openblas" in path:
            library = ctypes.CDLL(path)
            library.openblas_get_corename.restype = ctypes.c_char_p
            library.openblas_get_config.restype = ctypes.c_char_p
            info["openblas_core"] = library.openblas_get_corename().decode()
            info["openblas_config"] = library.openblas_get_config().decode()
    return info


def inference_latency(name):
    """One sample per call, one thread."""
    model = network(name).eval()
    x = torch.rand(1, SHAPES[name][0])
    with torch.inference_mode():
        return median_seconds(lambda: model(x), calls=2000 if name != "FMNIST" else 500, repeats=7)


def batch_inference(name, rows=1024):
    model = network(name).eval()
    x = torch.rand(rows, SHAPES[name][0])
    with torch.inference_mode():
        return median_seconds(lambda: model(x), calls=20 if name == "FMNIST" else 200, repeats=7)


def fmnist_training_step(batch):
    """One Adam step (lr 0.001) with cross-entropy on FMNIST-shaped random data."""
    model = network("FMNIST", with_softmax=False)  # CrossEntropyLoss fuses log-softmax, as StaticNet does
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch, 784)
    y = torch.randint(0, 10, (batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    return median_seconds(step, calls=max(20, 2560 // batch), repeats=7)


def seed_fit():
    """The Keras example: a new 2-5-1 network, 100 epochs over 100 samples, batch 32, MSE, Adam."""
    x = torch.rand(100, 2)
    y = torch.round(torch.rand(100, 1))
    loss_fn = nn.MSELoss()

    def fit():
        model = network("SEED")
        optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
        for _ in range(100):
            order = torch.randperm(100)
            for start in range(0, 100, 32):
                rows = order[start:start + 32]
                optimizer.zero_grad(set_to_none=True)
                loss_fn(model(x[rows]), y[rows]).backward()
                optimizer.step()

    return median_seconds(fit, calls=1, repeats=5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--allow-reference-blas", action="store_true",
                        help="run even if the reference BLAS is loaded (the figures are then a strawman)")
    arguments = parser.parse_args()

    torch.manual_seed(0)
    blas = blas_in_use()
    print(f"PyTorch {torch.__version__}, Python {platform.python_version()}")
    print(f"BLAS mapped: {', '.join(blas['mapped']) or 'none'}")
    if "openblas_core" in blas:
        print(f"OpenBLAS core: {blas['openblas_core']}; config: {blas['openblas_config']}")
    elif not arguments.allow_reference_blas:
        sys.exit("PyTorch did not load OpenBLAS: select it with update-alternatives "
                 "(benchmarks/run-all.sh does) rather than compare against the reference BLAS.")

    results = {"torch": torch.__version__, "blas": blas, "figures": {}}
    figures = results["figures"]

    def record(key, seconds, note):
        figures[key] = seconds
        print(f"{key:<34} {seconds * 1e6:>14,.2f} us  {note}")

    torch.set_num_threads(1)
    for name in SHAPES:
        record(f"{name}/single/1t", inference_latency(name), "per sample")
    for name in SHAPES:
        record(f"{name}/batch1024/1t", batch_inference(name), "per 1,024 samples")
    record("SEED/fit100/1t", seed_fit(), "whole 100-epoch run")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for batch in (32, 128):
            seconds = fmnist_training_step(batch)
            record(f"FMNIST/train{batch}/{threads}t", seconds, f"per step: {batch / seconds:,.0f} samples/s")
    torch.set_num_threads(2)
    record("FMNIST/batch1024/2t", batch_inference("FMNIST"), "per 1,024 samples")

    if arguments.json:
        with open(arguments.json, "w") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
