"""Prints the expected values of LossTests' PyTorch checks: losses and their gradients by autograd, in
float64, for the fixed inputs below. Run with Debian's python3-torch (1.13.1 printed the committed values):

    /usr/bin/python3 loss_values.py
"""
import torch
import torch.nn.functional as F

torch.set_printoptions(precision=17)


def show(name, loss, x):
    loss.backward()
    grad = ", ".join(repr(v) for v in x.grad.flatten().tolist())
    print(f"{name}: loss {loss.item()!r}\n  gradient [{grad}]")


logits = [-30.0, -2.5, -0.3, 0.0, 0.7, 3.0, 40.0]
labels = [0.0, 1.0, 0.3, 1.0, 0.0, 1.0, 0.0]
for smoothing in (0.0, 0.1):
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(labels, dtype=torch.float64) * (1 - smoothing) + 0.5 * smoothing
    show(f"binary from logits, smoothing {smoothing}", F.binary_cross_entropy_with_logits(z, y), z)

rows = [[2.0, -1.0, 0.5, 60.0], [-3.0, 0.0, 1.5, 0.2], [0.1, 0.2, -0.3, -50.0]]
classes = [3, 2, 0]
for smoothing in (0.0, 0.2):
    z = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
    y = F.one_hot(torch.tensor(classes), 4).to(torch.float64)
    show(f"categorical from logits, smoothing {smoothing}", F.cross_entropy(z, y, label_smoothing=smoothing), z)

outputs = [0.5, -2.0, 30.0, 0.01]
targets = [0.0, 1.0, -1.0, 0.0]
a = torch.tensor(outputs, dtype=torch.float64, requires_grad=True)
e = a - torch.tensor(targets, dtype=torch.float64)
show("log-cosh", (e.abs() + torch.log1p(torch.exp(-2 * e.abs())) - torch.log(torch.tensor(2.0, dtype=torch.float64))).mean(), a)
