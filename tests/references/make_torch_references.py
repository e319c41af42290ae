"""Writes the torch references the engine's tests compare with, from torch itself:

    python tests/references/make_torch_references.py      # needs torch (CPU) installed

  torch_schedules.json   torch.optim.lr_scheduler's learning rate at each of 50 epochs, for
                         each schedule kind, with and without a linear warm-up
  torch_gradients.npz    torch autograd's gradients of a loss through networks with fixed
                         dropout masks and a different activation in each hidden layer

The tests never need torch: they read these files. Run this again when a schedule or an
activation is added (tests/test_schedules.py and tests/test_dropout.py say which is missing).
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from netsim.activations import ACTIVATIONS  # noqa: E402

HERE = Path(__file__).resolve().parent
EPOCHS = 50
SCHEDULE_CASES = {          # name: (config fields, torch scheduler maker)
    "constant": ({}, lambda opt: torch.optim.lr_scheduler.ConstantLR(opt, factor=1.0,
                                                                       total_iters=0)),
    "step": ({"step_size": 7, "gamma": 0.5},
             lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=7, gamma=0.5)),
    "exponential": ({"gamma": 0.9},
                    lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)),
    "cosine": ({"T_max": 20, "eta_min": 0.001},
               lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20,
                                                                      eta_min=0.001)),
}
BASE_LR = 0.1
WARM_UP = {"total_iters": 5, "start_factor": 0.25}


def schedule_rates(make, warm_up: bool) -> list:
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=BASE_LR)
    scheduler = make(optimizer)
    if warm_up:
        linear = torch.optim.lr_scheduler.LinearLR(
            optimizer, start_factor=WARM_UP["start_factor"], total_iters=WARM_UP["total_iters"])
        scheduler = torch.optim.lr_scheduler.SequentialLR(
            optimizer, [linear, make(optimizer)], milestones=[WARM_UP["total_iters"]])
    rates = []
    for _ in range(EPOCHS):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def write_schedules():
    cases = []
    for name, (fields, make) in SCHEDULE_CASES.items():
        for warm_up in (False, True):
            config = {"schedule": name, "learning_rate": BASE_LR, **fields,
                      **(WARM_UP if warm_up else {})}
            cases.append({"config": config, "rates": schedule_rates(make, warm_up)})
    (HERE / "torch_schedules.json").write_text(json.dumps({"epochs": EPOCHS, "cases": cases},
                                                          indent=1))


TORCH_ACTIVATIONS = {name: eval("torch.nn." + activation.torch_module)   # noqa: S307
                     for name, activation in ACTIVATIONS.items()}


def write_gradients():
    """For each activation, a net whose hidden layers use it and two others in turn, dropout
    masks fixed; inputs, targets, parameters, masks and torch's gradients."""
    rng = np.random.default_rng(0)
    names = list(ACTIVATIONS)
    arrays = {}
    for k, name in enumerate(names):
        layer_activations = [name, names[(k + 3) % len(names)], names[(k + 5) % len(names)]]
        sizes = [3, 5, 4, 6, 2]
        X = rng.standard_normal((7, sizes[0]))
        Y = rng.standard_normal((7, sizes[-1]))
        weights = [rng.standard_normal((a, b)) * 0.7 for a, b in zip(sizes[:-1], sizes[1:])]
        biases = [rng.standard_normal(b) * 0.3 for b in sizes[1:]]
        rates = [0.3, 0.0, 0.5]
        masks = [(rng.random((7, n)) >= p).astype(np.float64) for n, p in zip(sizes[1:-1], rates)]
        tw = [torch.tensor(w, requires_grad=True) for w in weights]
        tb = [torch.tensor(b, requires_grad=True) for b in biases]
        a = torch.tensor(X)
        for l in range(len(weights)):
            z = a @ tw[l] + tb[l]
            if l < len(weights) - 1:
                a = TORCH_ACTIVATIONS[layer_activations[l]](z)
                a = a * torch.tensor(masks[l]) / (1.0 - rates[l])     # inverted dropout
            else:
                a = z
        loss = torch.nn.functional.mse_loss(a, torch.tensor(Y))
        loss.backward()
        prefix = f"{name}/"
        arrays[prefix + "activations"] = np.array(layer_activations)
        arrays[prefix + "rates"] = np.array(rates)
        arrays[prefix + "X"], arrays[prefix + "Y"] = X, Y
        arrays[prefix + "loss"] = np.array(loss.item())
        for l in range(len(weights)):
            arrays[prefix + f"W{l}"], arrays[prefix + f"b{l}"] = weights[l], biases[l]
            arrays[prefix + f"dW{l}"] = tw[l].grad.numpy()
            arrays[prefix + f"db{l}"] = tb[l].grad.numpy()
        for l, mask in enumerate(masks):
            arrays[prefix + f"mask{l}"] = mask
    np.savez_compressed(HERE / "torch_gradients.npz", **arrays)


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    write_schedules()
    write_gradients()
    print(f"wrote {HERE / 'torch_schedules.json'} and {HERE / 'torch_gradients.npz'}")
