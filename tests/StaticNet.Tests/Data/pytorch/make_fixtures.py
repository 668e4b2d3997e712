"""Writes the fixtures of OnnxImportTests and PyTorchFileTests from the real PyTorch.

The ONNX models come from PyTorch's exporter (torch.onnx.export). The safetensors files hold an
nn.Sequential's state_dict as PyTorch converts it to float16, bfloat16 and float64; the safetensors
package itself is not installable here (not in Debian, no PyPI), so save_safetensors below writes the
container as its specification and safetensors.torch.save_file lay it out: an 8-byte little-endian header
length, compact JSON sorted by name with __metadata__ first, space padding to 8 bytes, then the tensors'
bytes as PyTorch holds them.

Run once, from this directory, with Debian's python3-torch (1.13.1 wrote the committed files):

    /usr/bin/python3 make_fixtures.py

Each model is an nn.Sequential with seeded weights and biases. Beside each .onnx file, a .json holds
inputs and the outputs PyTorch computed for them in float32, which the tests compare against.
"""
import json
import struct

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


DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}


def save_safetensors(tensors, path):
    header, data = {}, b""
    for name in sorted(tensors):
        tensor = tensors[name].contiguous()
        dtype = next(key for key, value in DTYPES.items() if value == tensor.dtype)
        raw = tensor.view(torch.int16).numpy().tobytes() if tensor.dtype == torch.bfloat16 else tensor.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps({"__metadata__": {"format": "pt"}, **header}, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def sequential_state_dicts():
    """An nn.Sequential(Linear, ReLU, Linear, Sigmoid)'s state_dict in each dtype, and PyTorch's outputs of each."""
    torch.manual_seed(200)
    model = torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.ReLU(), torch.nn.Linear(5, 1), torch.nn.Sigmoid()).eval()
    inputs = torch.randn(6, 2) * 2
    expected = {"inputs": inputs.tolist(), "torch": torch.__version__}
    for name, dtype in DTYPES.items():
        converted = {key: value.to(dtype) for key, value in model.state_dict().items()}
        save_safetensors(converted, f"sequential-{name.lower()}.safetensors")
        # The outputs of the converted weights, computed in float32 as StaticNet computes them.
        twin = torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.ReLU(), torch.nn.Linear(5, 1), torch.nn.Sigmoid()).eval()
        twin.load_state_dict({key: value.float() for key, value in converted.items()})
        with torch.no_grad():
            expected[name] = twin(inputs).tolist()
    with open("sequential.json", "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


def main():
    sequential_state_dicts()
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
