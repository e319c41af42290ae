"""Engine speed: mini-batch updates per second of netsim's Trainer, beside the same training
written as a minimal numpy loop and in plain PyTorch (CPU, when torch is importable).

    python bench/engine.py            # from the repository root; well under a minute

Cases:
  1. TensorFlow Playground's default: circle, inputs x1 x2, layers [4, 2], tanh, sigmoid + BCE,
     SGD lr 0.03, batch 10 (float64).
  2. All seven plane features on circle, layers [8] * 6, tanh, otherwise as 1 (float64).
  3. Digits (64 pixels, 10 classes), layers [256, 256], relu, softmax + cross-entropy,
     SGD lr 0.03, batch 128; in float64 and in float32.

The engine is timed through its public API, `Trainer(config).step(n)`, so its bookkeeping counts:
history, divergence checks and checkpoints, evaluation of the whole test set at the end of every
epoch and of the whole training set at the first epoch end 32 steps after the last (on digits at
batch 128, an epoch is 7 steps and the test set alone costs a third of an epoch's arithmetic, so
0.75 is this case's ceiling). The minimal loop does the same maths and batch order (reshuffled every epoch,
the last smaller batch used) and nothing else: forward, gradient of the loss at the logits,
backward, SGD update. PyTorch is nn.Sequential + optimizer.zero_grad/backward/step with the
default thread count, in float64 for the small nets and float32 for the large one. All three
start from the engine's initial weights and train on its training split; before timing, the
minimal loop is checked to end two epochs with the engine's weights (same batches, same maths).

The columns take turns in ROUNDS rounds of about 0.2 s each (engine, minimal, torch, engine,
...), after a short warm-up. Each rate printed is the median over the rounds, and each ratio the
median of the ratios within a round: the machines here are shared, their speed drifts by 20-40%
from one second to the next, and a ratio of two runs made a fraction of a second apart is what
stays put.
Goals: engine/minimal >= 0.66 everywhere; engine/torch >= 5 on the small nets, >= 1 on the large
one in float32.

The engine's rate depends on how long it has run: for its first 2048 steps the history keeps
every step and records per-layer statistics at each one, later only at every 2nd, 4th ... step.
engine/s is measured after those steps and the warm-up (a stride of 2 to 8 here); fresh/s is
the rate over a new trainer's first 2048 steps (at most 0.5 s), what a user sees when training
starts (no goal).
"""

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# netsim before numpy, as the app and the CLI import them: it sets single-threaded BLAS,
# which the minimal loop below then shares, so both run on the same footing.
from netsim import Config, Trainer  # noqa: E402

import numpy as np  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

WARMUP_SECONDS = 0.25
ROUND_SECONDS = 0.2
ROUNDS = 9
FRESH_STEPS, FRESH_SECONDS = 2048, 0.5
GOAL_VS_MINIMAL = 0.66
ALL_FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")


@dataclass(frozen=True)
class Case:
    name: str
    config: Config
    goal_vs_torch: float | None     # None: no goal against torch for this row
    torch_dtype: str | None         # None: no torch column for this row


DIGITS = Config(dataset="digits", layers=(256, 256), activation="relu", init="he_uniform",
                batch_size=128, learning_rate=0.03, optimizer="sgd")
CASES = (
    Case("1 playground 2-4-2-1 tanh b10 f64", Config(), 5.0, "float64"),
    Case("2 7-8x6-1 tanh b10 f64", Config(features=ALL_FEATURES, layers=(8,) * 6), 5.0, "float64"),
    Case("3 digits 64-256-256-10 relu b128 f64", DIGITS, None, None),
    Case("3 digits 64-256-256-10 relu b128 f32", DIGITS.replace(dtype="float32"), 1.0, "float32"),
)


def updates_per_second(runs: dict) -> tuple[dict, list]:
    """({name: median rate}, [{name: rate} of each round]) of each `run(n)` (n updates).

    A round calls run(chunk) until ROUND_SECONDS are up, chunk being about 1/20 s of work as
    the warm-up measured it, so a sudden slow-down cannot stretch it. The runs take turns
    within a round so that a burst of load from another process hits them alike. (Finer turns
    are worse: torch's idle threads spin for a while after each call and would slow the numpy
    slices that follow.)"""
    chunks = {}
    for name, run in runs.items():
        done, n, start = 0, 1, time.perf_counter()
        while time.perf_counter() - start < WARMUP_SECONDS:
            run(n)
            done += n
            n *= 2
        chunks[name] = max(1, int(done / (time.perf_counter() - start) / 20))
    rounds = []
    for _ in range(ROUNDS):
        rates = {}
        for name, run in runs.items():
            done, start = 0, time.perf_counter()
            while (elapsed := time.perf_counter() - start) < ROUND_SECONDS:
                run(chunks[name])
                done += chunks[name]
            rates[name] = done / elapsed
        rounds.append(rates)
    return {name: statistics.median(r[name] for r in rounds) for name in runs}, rounds


def median_ratio(rounds: list, numerator: str, denominator: str) -> float:
    return statistics.median(r[numerator] / r[denominator] for r in rounds)


class MinimalLoop:
    """The engine's maths for this case and nothing else, in plain numpy."""

    def __init__(self, trainer: Trainer):
        net = trainer.network
        self.weights, self.biases = net.copy_parameters()   # weights[l] (n_in, n_out)
        self.relu = net.activation_names[0] == "relu"        # every case uses one activation
        self.softmax = net.output == "softmax"
        self.X, self.Y = trainer.X_train, trainer.Y_train    # (n, n_in), (n, n_out)
        self.lr = trainer.config.learning_rate
        self.batch_size = trainer.config.batch_size
        state = trainer.capture(with_history=False)      # start where the trainer starts:
        self.rng = np.random.default_rng()               # the same batches in the same order
        self.rng.bit_generator.state = state["rng"]
        self.order = state["order"]
        self.cursor = state["cursor"]

    def run(self, n: int):
        for _ in range(n):
            batch = self.order[self.cursor:self.cursor + self.batch_size]
            self.step(self.X[batch], self.Y[batch])
            self.cursor += len(batch)
            if self.cursor >= len(self.X):
                self.order = self.rng.permutation(len(self.X))
                self.cursor = 0

    def step(self, x, y):
        activations = [x]                                    # activations[l] (batch, sizes[l])
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            z = x @ W + b
            x = np.maximum(z, 0.0) if self.relu else np.tanh(z)
            activations.append(x)
        z = x @ self.weights[-1] + self.biases[-1]           # (batch, n_out) logits
        if self.softmax:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            delta = (e / e.sum(axis=1, keepdims=True) - y) / len(y)
        else:
            delta = (0.5 * (1.0 + np.tanh(0.5 * z)) - y) / y.size
        for l in range(len(self.weights) - 1, -1, -1):        # delta: d loss / d z of layer l
            grad_w = activations[l].T @ delta
            grad_b = delta.sum(axis=0)
            if l > 0:
                a = activations[l]
                delta = (delta @ self.weights[l].T) * ((a > 0) if self.relu else (1.0 - a * a))
            self.weights[l] -= self.lr * grad_w
            self.biases[l] -= self.lr * grad_b


class TorchLoop:
    """The same training in plain PyTorch: nn.Sequential, loss module, torch.optim.SGD."""

    def __init__(self, trainer: Trainer, dtype: str):
        net = trainer.network
        dtype = getattr(torch, dtype)
        layers = []
        for l, (W, b) in enumerate(zip(net.weights, net.biases)):
            linear = torch.nn.Linear(*W.shape, dtype=dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(W.T.copy()))
                linear.bias.copy_(torch.from_numpy(b))
            layers.append(linear)
            if l < net.n_layers - 1:
                layers.append(torch.nn.ReLU() if net.activation_names[0] == "relu" else torch.nn.Tanh())
        self.model = torch.nn.Sequential(*layers)
        self.X = torch.tensor(trainer.X_train, dtype=dtype)
        if net.output == "softmax":
            self.loss_fn = torch.nn.CrossEntropyLoss()
            self.Y = torch.tensor(trainer.Y_train.argmax(axis=1))     # class indices
        else:
            self.loss_fn = torch.nn.BCEWithLogitsLoss()                   # BCE on sigmoid, stably
            self.Y = torch.tensor(trainer.Y_train, dtype=dtype)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=trainer.config.learning_rate)
        self.batch_size = trainer.config.batch_size
        self.generator = torch.Generator().manual_seed(trainer.config.seed)
        self.order = torch.randperm(len(self.X), generator=self.generator)
        self.cursor = 0

    def run(self, n: int):
        for _ in range(n):
            batch = self.order[self.cursor:self.cursor + self.batch_size]
            self.optimizer.zero_grad()
            self.loss_fn(self.model(self.X[batch]), self.Y[batch]).backward()
            self.optimizer.step()
            self.cursor += len(batch)
            if self.cursor >= len(self.X):
                self.order = torch.randperm(len(self.X), generator=self.generator)
                self.cursor = 0


def check_same_maths(config: Config):
    """The minimal loop must be the engine's training and nothing else: after two epochs from
    the same start, their weights agree to rounding."""
    trainer = Trainer(config)
    minimal = MinimalLoop(trainer)
    steps = 2 * -(-trainer.n_train // config.batch_size)
    trainer.step(steps)
    minimal.run(steps)
    rtol = 1e-4 if config.dtype == "float32" else 1e-9
    for mine, theirs in zip(minimal.weights + minimal.biases,
                            trainer.network.weights + trainer.network.biases):
        np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=rtol)


def fresh_updates_per_second(trainer: Trainer) -> float:
    """Rate of a new trainer over its first steps (at most FRESH_STEPS or FRESH_SECONDS), when
    the history still keeps every step and records per-layer statistics at each one."""
    done, start = 0, time.perf_counter()
    while done < FRESH_STEPS and time.perf_counter() - start < FRESH_SECONDS:
        trainer.step(16)
        done += 16
    return done / (time.perf_counter() - start)


def measure(case: Case) -> dict:
    check_same_maths(case.config)
    engine = Trainer(case.config)
    fresh = fresh_updates_per_second(engine)       # the first part of the engine's warm-up
    runs = {"engine": engine.step, "minimal": MinimalLoop(Trainer(case.config)).run}
    if torch is not None and case.torch_dtype is not None:
        runs["torch"] = TorchLoop(Trainer(case.config), case.torch_dtype).run
    rates, rounds = updates_per_second(runs)
    return {"torch": None, **rates, "fresh": fresh,
            "vs_minimal": median_ratio(rounds, "engine", "minimal"),
            "vs_torch": median_ratio(rounds, "engine", "torch") if "torch" in rates else None}


def verdict(ratio: float, goal: float | None) -> str:
    if goal is None:
        return f"{ratio:6.2f}          "
    return f"{ratio:6.2f} {'ok    ' if ratio >= goal else 'MISSED'} >={goal:<4g}"


def main():
    if torch is None:
        print("torch is not importable: the torch column is skipped "
              "(pip install torch==2.13.0 into the venv to measure it)")
    else:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; numpy {np.__version__}")
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"load average {load:.1f} on {os.cpu_count()} CPUs before starting: other processes "
              f"compete, so rates are low and noisy (torch's threads and BLAS's suffer most)")
    header = (f"{'case':38} {'engine/s':>9} {'minimal/s':>10} {'torch/s':>9}   "
              f"{'engine/minimal':21} {'engine/torch':21} {'fresh/s':>8}")
    print(header)
    print("-" * len(header))
    for case in CASES:
        r = measure(case)
        torch_text = f"{r['torch']:9.0f}" if r["torch"] else f"{'-':>9}"
        vs_torch = (verdict(r["vs_torch"], case.goal_vs_torch) if r["torch"]
                    else f"{'-':21}")
        print(f"{case.name:38} {r['engine']:9.0f} {r['minimal']:10.0f} {torch_text}   "
              f"{verdict(r['vs_minimal'], GOAL_VS_MINIMAL)}  {vs_torch} "
              f"{r['fresh']:8.0f}", flush=True)
    if torch is not None:
        print("torch runs float64 for the small nets and float32 for digits (no goal in float64).")
    print(f"fresh/s: a new trainer's first {FRESH_STEPS} steps (at most {FRESH_SECONDS} s), during "
          "which its history records\nper-layer statistics at every step; engine/s: the same "
          "trainer afterwards.")


if __name__ == "__main__":
    main()
