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

# Class-index targets: PyTorch's cross_entropy on class indices (logits, with and without label smoothing) and
# nll_loss of the log-probabilities (probabilities).
for smoothing in (0.0, 0.2):
    z = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
    show(f"sparse categorical from logits, smoothing {smoothing}", F.cross_entropy(z, torch.tensor(classes), label_smoothing=smoothing), z)

probabilities = [[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.45, 0.05]]
p = torch.tensor(probabilities, dtype=torch.float64, requires_grad=True)
show("sparse categorical from probabilities", F.nll_loss(torch.log(p), torch.tensor(classes)), p)

# Sample weights, as Keras weights a loss (sum_over_batch_size): the per-row losses times the weights, summed and
# divided by the rows; and class weights, which PyTorch's weight argument takes, summed the same way.
weights = [0.5, 2.0, 1.25]
z = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
show("sample-weighted sparse categorical from logits",
     (F.cross_entropy(z, torch.tensor(classes), reduction="none") * torch.tensor(weights, dtype=torch.float64)).sum() / 3, z)
class_weights = [1.0, 0.5, 3.0, 2.0]
z = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
show("class-weighted sparse categorical from logits",
     F.cross_entropy(z, torch.tensor(classes), weight=torch.tensor(class_weights, dtype=torch.float64), reduction="sum") / 3, z)
a = torch.tensor(probabilities, dtype=torch.float64, requires_grad=True)
y = torch.tensor([[0.0, 1.0, 0.5, -1.0], [2.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.5]], dtype=torch.float64)
show("sample-weighted mse", (((a - y) ** 2).mean(dim=1) * torch.tensor(weights, dtype=torch.float64)).sum() / 3, a)
