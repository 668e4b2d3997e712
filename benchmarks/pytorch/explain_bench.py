#!/usr/bin/python3
"""PyTorch's side of ExplanationBenchmarks: FMNIST's input gradient of one class for one image, and integrated
gradients with 32 and 256 points (Gauss-Legendre, as Captum's default), done the way autograd does them fastest:
one batch of the path's points, one backward pass, on one thread. Captum is not packaged for Debian; this is the
computation its IntegratedGradients runs (scaled inputs, gradients of the target, weighted sum times the path).

    env -u OPENBLAS_CORETYPE /usr/bin/python3 benchmarks/pytorch/explain_bench.py

with OpenBLAS selected (benchmarks/run-all.sh selects it).
"""

import numpy as np
import torch

from train_bench import median_seconds, network


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    model = network("FMNIST").eval()
    for p in model.parameters():
        p.requires_grad_(False)
    image = torch.rand(1, 784)
    target = 3

    def input_gradient():
        x = image.clone().requires_grad_(True)
        model(x)[0, target].backward()
        return x.grad

    def integrated_gradients(steps):
        nodes, weights = np.polynomial.legendre.leggauss(steps)
        alphas = torch.tensor((nodes + 1) / 2, dtype=torch.float32).unsqueeze(1)
        step_weights = torch.tensor(weights / 2, dtype=torch.float32).unsqueeze(1)
        baseline = torch.zeros_like(image)

        def run():
            path = (baseline + alphas * (image - baseline)).requires_grad_(True)
            model(path)[:, target].sum().backward()
            return (path.grad * step_weights).sum(0) * (image - baseline)[0]

        return run

    print(f"PyTorch {torch.__version__}, one thread")
    print(f"input gradient, one image: {median_seconds(input_gradient, 2000, 7) * 1e6:.1f} us")
    for steps in (32, 256):
        print(f"integrated gradients, {steps} points: {median_seconds(integrated_gradients(steps), 200 if steps == 32 else 40, 7) * 1e6:.1f} us")


if __name__ == "__main__":
    main()
