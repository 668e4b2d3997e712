"""Writes the ONNX fixtures of OnnxImportTests with the real PyTorch exporter (torch.onnx.export).

Run once, from this directory, with Debian's python3-torch (1.13.1 wrote the committed files):

    /usr/bin/python3 make_fixtures.py

Each model is an nn.Sequential with seeded weights and biases. Beside each .onnx file, a .json holds
inputs and the outputs PyTorch computed for them in float32, which the tests compare against.
"""
import json

import torch

MODELS = {
    # 2-5(ReLU)-1(Sigmoid): Gemm nodes, as PyTorch exports nn.Linear.
    "seed-relu-sigmoid": lambda: torch.nn.Sequential(
        torch.nn.Linear(2, 5), torch.nn.ReLU(), torch.nn.Linear(5, 1), torch.nn.Sigmoid()),
    # 7-6(SiLU)-5(GELU, tanh form)-4(Softmax): decomposed activations.
    "silu-gelu-softmax": lambda: torch.nn.Sequential(
        torch.nn.Linear(7, 6), torch.nn.SiLU(), torch.nn.Linear(6, 5), torch.nn.GELU(approximate="tanh"),
        torch.nn.Linear(5, 4), torch.nn.Softmax(dim=1)),
    # 3-4(Tanh)-4(ELU)-3(LeakyReLU)-2(Softplus)-2(Linear).
    "tanh-elu-leaky-softplus": lambda: torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 4), torch.nn.ELU(),
        torch.nn.Linear(4, 3), torch.nn.LeakyReLU(), torch.nn.Linear(3, 2), torch.nn.Softplus(),
        torch.nn.Linear(2, 2)),
    # 3-4(GELU, exact erf form)-2: PyTorch's default GELU, which StaticNet's (the tanh form) is not.
    "gelu-erf": lambda: torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.GELU(), torch.nn.Linear(4, 2)),
}


def main():
    for index, (name, build) in enumerate(MODELS.items()):
        torch.manual_seed(100 + index)
        model = build().eval()
        inputs = torch.randn(6, model[0].in_features) * 2
        torch.onnx.export(model, inputs[:1], f"{name}.onnx", opset_version=13, input_names=["x"],
                          output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
        with torch.no_grad():
            outputs = model(inputs)
        with open(f"{name}.json", "w") as f:
            json.dump({"torch": torch.__version__, "inputs": inputs.tolist(), "outputs": outputs.tolist()}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
