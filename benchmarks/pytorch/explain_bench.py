#!/usr/bin/python3
"""PyTorch's side of ExplanationBenchmarks: FMNIST's input gradient of one class for one image, and integrated
gradients with 32 and 256 points (Gauss-Legendre, as Captum's default), done the way autograd does them fastest:
one batch of the path's points, one backward pass, on one thread. Captum is not packaged for Debian; this is the
computation its IntegratedGradients runs (scaled inputs, gradients of the target, weighted sum times the path).
KernelSHAP is timed as shap's KernelExplainer spends it with a PyTorch model: 2,048 coalitions of 49 patches of
4 x 4 pixels over 16 background images, predicted as one batch of 32,768 rows without gradients, averaged, and the
constrained weighted least squares solved by NumPy (the coalitions are drawn once, outside the timing).

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

    def kernel_shap(budget=2048, players=49, rows=16):
        background = torch.rand(rows, 784)
        patch = torch.tensor([(i // 28 // 4) * 7 + (i % 28) // 4 for i in range(784)])
        rng = np.random.default_rng(1)
        masks = np.zeros((budget, players), dtype=np.float32)
        for k in range(0, budget, 2):
            size = rng.integers(1, players)
            masks[k, rng.permutation(players)[:size]] = 1
            masks[k + 1] = 1 - masks[k]
        kernel = np.ones(budget)
        pixel_masks = torch.from_numpy(masks)[:, patch]

        def run():
            with torch.no_grad():
                mixed = pixel_masks[:, None, :] * image + (1 - pixel_masks[:, None, :]) * background[None, :, :]
                worth = model(mixed.reshape(-1, 784))[:, target].reshape(budget, rows).mean(1).numpy()
                base = model(background)[:, target].mean().item()
                fx = model(image)[0, target].item()
            y = worth - base - masks[:, -1] * (fx - base)
            x = masks[:, :-1] - masks[:, -1:]
            wx = x * kernel[:, None]
            phi = np.linalg.solve(x.T @ wx, wx.T @ y)
            return np.append(phi, fx - base - phi.sum())

        return run

    print(f"PyTorch {torch.__version__}, one thread")
    print(f"input gradient, one image: {median_seconds(input_gradient, 2000, 7) * 1e6:.1f} us")
    for steps in (32, 256):
        print(f"integrated gradients, {steps} points: {median_seconds(integrated_gradients(steps), 200 if steps == 32 else 40, 7) * 1e6:.1f} us")
    print(f"KernelSHAP, 2048 coalitions of 49 patches, 16 background images: {median_seconds(kernel_shap(), 3, 5) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
