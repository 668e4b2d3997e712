"""Writes attributions.json, the fixture of PyTorchAttributionTests: input gradients and the attributions built on
them, computed by PyTorch's autograd in float64 on one network per activation.

Each network has the shape of a test network (TestNetworks.cs): 7 inputs, 37 and 13 hidden units, then 3 outputs (5
for the softmax one), with seeded nn.Linear weights. Its parameters are written in PyTorch's layout, per layer the
weight [units, inputs] row-major and then the bias, which is what INetwork.CopyParametersFrom reads. They and the
inputs are float32 values; PyTorch computes on them in float64, so the fixture holds the exact gradients of the
float32 network, and the tests measure how close StaticNet's float32 arithmetic comes.

The attributions follow Captum's definitions; Captum itself is not installable here (it is neither in Debian nor
served by its package index), so the script computes them as Captum's code does:
- saliency: |dy/dx| (captum.attr.Saliency, abs=True);
- gradient x input: x * dy/dx (captum.attr.InputXGradient);
- integrated gradients: (x - x') * sum_k w_k dy/dx(x' + a_k (x - x')) (captum.attr.IntegratedGradients), the points
  a_k and weights w_k as captum/attr/_utils/approximation_methods.py places them for each method;
- exact Shapley values by enumerating the coalitions, a coalition's value the output averaged over background rows
  that take the coalition's features from the input (the value function of captum.attr.KernelShap and of shap).

Run once, from this directory, with Debian's python3-torch (1.13.1 wrote the committed file):

    /usr/bin/python3 attributions.py
"""
import itertools
import json
import math

import numpy
import torch

ACTIVATIONS = {
    "Linear": torch.nn.Identity,
    "ReLU": torch.nn.ReLU,
    "LeakyReLU": torch.nn.LeakyReLU,
    "Sigmoid": torch.nn.Sigmoid,
    "Tanh": torch.nn.Tanh,
    "ELU": torch.nn.ELU,
    "SiLU": torch.nn.SiLU,
    "GELU": lambda: torch.nn.GELU(approximate="tanh"),
    "Softplus": torch.nn.Softplus,
}

# Test network name -> its three activations and its outputs.
NETWORKS = {name + "Net": ([name] * 3, 3) for name in ACTIVATIONS}
NETWORKS["SoftmaxNet"] = (["Tanh", "ReLU", "Softmax"], 5)

ROWS = 11  # Eight rows or more take the transposed batch path of the input gradients.
EXPLAINED = 3  # The rows each single-sample attribution is computed for.
BACKGROUND = 6

# (Captum's method name, StaticNet's IntegrationRule, points, baseline).
INTEGRATED = [
    ("gausslegendre", "GaussLegendre", 32, "zeros"),
    ("gausslegendre", "GaussLegendre", 7, "background mean"),
    ("riemann_left", "RiemannLeft", 20, "zeros"),
    ("riemann_right", "RiemannRight", 20, "background mean"),
    ("riemann_middle", "RiemannMiddle", 16, "zeros"),
    ("riemann_trapezoid", "RiemannTrapezoid", 16, "background mean"),
]


def build(activations, outputs):
    widths = [7, 37, 13, outputs]
    layers = []
    for index, activation in enumerate(activations):
        layers.append(torch.nn.Linear(widths[index], widths[index + 1]))
        layers.append(torch.nn.Softmax(dim=1) if activation == "Softmax" else ACTIVATIONS[activation]())
    return torch.nn.Sequential(*layers).double().eval()


def points(method, n):
    """Captum's approximation_parameters(method): the alphas and step sizes of n points on [0, 1]."""
    if method == "gausslegendre":
        x, w = numpy.polynomial.legendre.leggauss(n)
        return list(0.5 * (x + 1)), list(0.5 * w)
    if method == "riemann_trapezoid":
        steps = [1 / (n - 1)] * n
        steps[0] = steps[-1] = 0.5 / (n - 1)
        return list(numpy.linspace(0, 1, n)), steps
    first, last = {"riemann_left": (0, 1 - 1 / n), "riemann_right": (1 / n, 1),
                   "riemann_middle": (1 / (2 * n), 1 - 1 / (2 * n))}[method]
    return list(numpy.linspace(first, last, n)), [1 / n] * n


def gradient(model, x, weights):
    """d(sum_o weights[o] y[o]) / dx for each row of x."""
    x = x.clone().requires_grad_(True)
    (model(x) * weights).sum().backward()
    return x.grad.detach()


def integrated_gradients(model, x, baseline, output, method, n):
    alphas, steps = points(method, n)
    path = torch.stack([baseline + a * (x - baseline) for a in alphas])
    grads = gradient(model, path, torch.nn.functional.one_hot(torch.tensor(output), model[-2].out_features).double())
    total = sum(s * g for s, g in zip(steps, grads))
    return (x - baseline) * total


def exact_shapley(model, x, background, output):
    n = x.numel()
    with torch.no_grad():
        def value(coalition):
            rows = background.clone()
            rows[:, list(coalition)] = x[list(coalition)]
            return model(rows)[:, output].mean().item()
        values = {c: value(c) for size in range(n + 1) for c in itertools.combinations(range(n), size)}
    shapley = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        total = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for c in itertools.combinations(others, size):
                total += weight * (values[tuple(sorted(c + (i,)))] - values[c])
        shapley.append(total)
    return shapley, values[()]


def short(values, digits=12):
    """Values written with the digits that matter: 9 identify a float32, 12 are far below float32's error."""
    return [float(f"{v:.{digits}g}") for v in values]


def float32(tensor):
    """A float64 tensor of float32 values, so both sides start from the same numbers."""
    return tensor.float().double()


def main():
    fixture = {"torch": torch.__version__, "networks": []}
    for index, (name, (activations, outputs)) in enumerate(NETWORKS.items()):
        torch.manual_seed(300 + index)
        model = build(activations, outputs)
        with torch.no_grad():
            for parameter in model.parameters():
                parameter.copy_(float32(parameter))
        parameters = [v for layer in model if isinstance(layer, torch.nn.Linear)
                      for v in layer.weight.flatten().tolist() + layer.bias.tolist()]
        inputs = float32(torch.rand(ROWS, 7, dtype=torch.float64) * 3 - 1.5)
        background = float32(torch.rand(BACKGROUND, 7, dtype=torch.float64) * 3 - 1.5)
        output_weights = float32(torch.rand(outputs, dtype=torch.float64) * 2 - 1)
        baselines = {"zeros": torch.zeros(7, dtype=torch.float64), "background mean": background.mean(0)}

        explained = []
        for row in range(EXPLAINED):
            x, output = inputs[row], row % outputs
            one_hot = torch.nn.functional.one_hot(torch.tensor(output), outputs).double()
            g = gradient(model, x.unsqueeze(0), one_hot)[0]
            integrated = []
            for method, rule, n, baseline in INTEGRATED:
                attributions = integrated_gradients(model, x, baselines[baseline], output, method, n)
                integrated.append({"method": method, "rule": rule, "steps": n, "baseline": baseline,
                                   "attributions": short(attributions.tolist())})
            shapley, base_value = exact_shapley(model, x, background, output)
            explained.append({"row": row, "output": output, "saliency": short(g.abs().tolist()),
                              "gradientTimesInput": short((x * g).tolist()), "integratedGradients": integrated,
                              "shapley": short(shapley), "shapleyBaseValue": base_value})

        fixture["networks"].append({
            "name": name, "activations": activations, "parameters": short(parameters, 9),
            "inputs": short(inputs.flatten().tolist(), 9), "background": short(background.flatten().tolist(), 9),
            "outputWeights": short(output_weights.tolist(), 9),
            "gradients": short(gradient(model, inputs, output_weights).flatten().tolist()), "explained": explained})

    with open("attributions.json", "w") as f:
        json.dump(fixture, f)
        f.write("\n")


if __name__ == "__main__":
    main()
