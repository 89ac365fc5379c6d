#!/usr/bin/python3
"""Trains a window classifier (LSTM or Transformer encoder) on exported flow-vector windows and
exports it to ONNX. Run by the Java recipe tests of bundles/model-sequence (README.md), which
export the windows, check the ONNX file in ONNX Runtime and compare it with the committed one.

Input folder (written by WindowExport.java):
  windows.f32   float32 little-endian [N, W, F]: each vector's window (its entity's last W vectors,
                oldest first, padded at the start with the entity's oldest vector)
  windows.tsv   one line per window: capture, category, label (0 benign, 1 attack), entity
  meta.json     {"window": W, "features": [...names...]}

Output folder:
  model.onnx             float32 in [N, W, F] "windows" -> "probability" [N, 1]
  reference_inputs.f32   float32 [R, W, F]: sample windows (real ones and edge cases)
  reference_scores.f32   float32 [R]: what torch gives them (float32, eval mode)
  heldout_scores.f32     float32 [N] (with --cv): each window scored by a model trained without its capture
  training.json          parameters, library versions, loss of the final model

Reproducible byte for byte: fixed seeds, one thread, float64 training on scalar kernels (the CPU's
vector units and BLAS kernels differ between machines and would round differently), fixed data
order. The exported model is the float32 cast of the trained float64 one.
"""
import os

# Before torch (and its BLAS) load: one thread, the kernels every x86-64 has, so that the same
# data give the same weights on any machine.
for key, value in (("OMP_NUM_THREADS", "1"), ("OPENBLAS_NUM_THREADS", "1"), ("MKL_NUM_THREADS", "1"),
                   ("OPENBLAS_CORETYPE", "Prescott"), ("ATEN_CPU_CAPABILITY", "default")):
    os.environ[key] = value

import argparse
import io
import json
import math
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import torch
from torch import nn

PARAMETERS = {
    "lstm": {"hidden": 32, "layers": 2, "epochs": 20, "batch": 64, "lr": 0.003, "weightDecay": 0.0001,
             "seed": 1, "maxWindowsPerCapture": 128, "clip": 8.0},
    "transformer": {"dModel": 64, "heads": 4, "layers": 2, "feedForward": 96, "epochs": 20, "batch": 64, "lr": 0.003,
                    "weightDecay": 0.0001, "seed": 1, "maxWindowsPerCapture": 128, "clip": 8.0},
}
OPSET = 17
REFERENCE_WINDOWS = 512


class Standardise(nn.Module):
    """x -> clip((sign(x) * log(1 + |x|) - mean) / std, -c, c): byte counts and rates span decades;
    the signed log brings them to a few units, the clip bounds what an unseen extreme can do."""

    def __init__(self, mean, std, clip):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean))
        self.register_buffer("std", torch.tensor(std))
        self.clip = clip
        # Set for the export: the sign is restored by a select, not a product with sign(x) (ONNX
        # Runtime's Sign is a slow kernel); -l and sign(x)·l are the same float, so the same scores.
        self.export_select = False

    def forward(self, x):
        if self.export_select:
            magnitude = torch.log1p(torch.abs(x))
            x = torch.where(x < 0, -magnitude, magnitude)
        else:
            x = torch.sign(x) * torch.log1p(torch.abs(x))
        return torch.clamp((x - self.mean) / self.std, -self.clip, self.clip)


def linear_2d(x, weight, bias):
    """A linear layer over the last axis of x [n, w, k] (or [n, k]) as one 2-D product: exported
    as a Gemm with its bias folded in, where a 3-D input exports as MatMul, then Add."""
    if x.dim() == 2:
        return nn.functional.linear(x, weight, bias)
    w, k = int(x.shape[1]), int(x.shape[2])
    return nn.functional.linear(x.reshape(-1, k), weight, bias).reshape(-1, w, int(weight.shape[0]))


class LstmClassifier(nn.Module):
    def __init__(self, features, p, mean, std):
        super().__init__()
        self.pre = Standardise(mean, std, p["clip"])
        self.lstm = nn.LSTM(features, p["hidden"], num_layers=p["layers"], batch_first=True)
        self.head = nn.Linear(p["hidden"], 1)

    def logit(self, x):
        out, _ = self.lstm(self.pre(x))
        return self.head(out[:, -1, :])  # the state after the scored (last) vector

    def forward(self, x):
        return torch.sigmoid(self.logit(x))


class EncoderLayer(nn.Module):
    """A post-norm Transformer encoder layer written out (multi-head self-attention, then a
    feed-forward block), so that the export is plain MatMul/Softmax/LayerNormalization."""

    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.norm1 = nn.LayerNorm(d)
        self.ff1 = nn.Linear(d, ff)
        self.ff2 = nn.Linear(ff, d)
        self.norm2 = nn.LayerNorm(d)

    def forward(self, x, last_only=False, export=False):
        """last_only: the output at the last position alone, [n, 1, d], its query from that
        position and the keys and values from all: the same arithmetic for that position, about
        half of the layer's work less. export: the linear layers as 2-D products (linear_2d) and
        the batch size left to the graph (-1), the same arithmetic; training keeps torch's own."""
        n, w, d = x.shape
        if export:
            n, w, d = -1, int(w), int(d)
        linear = linear_2d if export else nn.functional.linear
        h = self.heads
        if last_only:
            weight, bias = self.qkv.weight, self.qkv.bias
            q = linear(x[:, -1:, :], weight[:d], bias[:d]).reshape(n, 1, h, d // h).transpose(1, 2)
            k, v = linear(x, weight[d:], bias[d:]).reshape(n, w, 2, h, d // h).permute(2, 0, 3, 1, 4)
            x, w = x[:, -1:, :], 1
        else:
            q, k, v = linear(x, self.qkv.weight, self.qkv.bias).reshape(n, w, 3, h, d // h).permute(2, 0, 3, 1, 4)
        attention = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // h), dim=-1)
        y = (attention @ v).transpose(1, 2).reshape(n, w, d)
        x = self.norm1(x + linear(y, self.out.weight, self.out.bias))
        return self.norm2(x + linear(torch.relu(linear(x, self.ff1.weight, self.ff1.bias)), self.ff2.weight, self.ff2.bias))


class TransformerClassifier(nn.Module):
    def __init__(self, features, window, p, mean, std):
        super().__init__()
        d = p["dModel"]
        self.pre = Standardise(mean, std, p["clip"])
        self.embed = nn.Linear(features, d)
        self.position = nn.Parameter(torch.zeros(1, window, d))
        self.layers = nn.ModuleList([EncoderLayer(d, p["heads"], p["feedForward"]) for _ in range(p["layers"])])
        self.head = nn.Linear(d, 1)
        # Set for the export: the last layer computes the scored position only, and the linear
        # layers are 2-D products. Training keeps the full layer and torch's own linear layers,
        # so that the weights are those of every earlier run.
        self.export_last_only = False
        self.export_2d = False

    def logit(self, x):
        embed = linear_2d if self.export_2d else nn.functional.linear
        x = embed(self.pre(x), self.embed.weight, self.embed.bias) + self.position
        for i, layer in enumerate(self.layers):
            x = layer(x, last_only=self.export_last_only and i == len(self.layers) - 1, export=self.export_2d)
        return self.head(x[:, -1, :])  # the scored (last) vector's position

    def forward(self, x):
        return torch.sigmoid(self.logit(x))


def load(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    w, features = meta["window"], meta["features"]
    rows = []
    with open(os.path.join(folder, "windows.tsv")) as f:
        for line in f:
            capture, category, label, entity = line.rstrip("\n").split("\t")
            rows.append((capture, category, int(label), entity))
    x = np.fromfile(os.path.join(folder, "windows.f32"), dtype="<f4").reshape(len(rows), w, len(features))
    return meta, x, rows


def training_subset(rows, indices, cap):
    """At most `cap` windows per capture, evenly spaced in capture order (the scans would
    otherwise be most of every epoch); all of a smaller capture's."""
    by_capture = {}
    for i in indices:
        by_capture.setdefault(rows[i][0], []).append(i)
    chosen = []
    for capture in sorted(by_capture):
        members = by_capture[capture]
        if len(members) > cap:
            members = [members[(j * len(members)) // cap] for j in range(cap)]
        chosen.extend(members)
    return np.array(chosen, dtype=np.int64)


def make(kind, features, window, p, mean, std):
    if kind == "lstm":
        return LstmClassifier(features, p, mean, std)
    return TransformerClassifier(features, window, p, mean, std)


def fit(kind, x, labels, p, window, seed):
    """Trains on float64 windows x [n, W, F]; classes weighted to equal total weight."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    flat = x[:, -1, :].astype(np.float64)  # each window's own vector: every vector once
    # torch's log1p, not numpy's: on CPUs with AVX-512 numpy computes it with its own SIMD code
    # (SVML), which rounds differently from the C library's that torch's scalar kernels call, so
    # the same data gave other weights on another machine.
    logged = np.sign(flat) * torch.log1p(torch.from_numpy(np.abs(flat))).numpy()
    mean = logged.mean(axis=0)
    std = logged.std(axis=0)
    std = np.where(std > 1e-6, std, 1.0)
    model = make(kind, x.shape[2], window, p, mean, std).double()
    xs = torch.from_numpy(x.astype(np.float64))
    ys = torch.from_numpy(labels.astype(np.float64)).reshape(-1, 1)
    positives = float(labels.sum())
    negatives = float(len(labels) - positives)
    weights = torch.where(ys > 0.5, torch.tensor(len(labels) / (2 * max(positives, 1.0)), dtype=torch.float64),
                          torch.tensor(len(labels) / (2 * max(negatives, 1.0)), dtype=torch.float64))
    optimiser = torch.optim.AdamW(model.parameters(), lr=p["lr"], weight_decay=p["weightDecay"])
    loss_fn = nn.BCEWithLogitsLoss(reduction="none")
    last = float("nan")
    model.train()
    for _ in range(p["epochs"]):
        order = torch.randperm(len(labels), generator=generator)
        total = 0.0
        for start in range(0, len(labels), p["batch"]):
            batch = order[start:start + p["batch"]]
            optimiser.zero_grad()
            loss = (loss_fn(model.logit(xs[batch]), ys[batch]) * weights[batch]).sum() / weights[batch].sum()
            loss.backward()
            optimiser.step()
            total += float(loss) * len(batch)
        last = total / len(labels)
    model.eval()
    return model, last


def score(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).reshape(-1).numpy()


def export(model, window, features, path):
    model = model.float().eval()
    trained_form(model, False)
    dummy = torch.zeros(1, window, features, dtype=torch.float32)
    buffer = io.BytesIO()
    torch.onnx.export(model, dummy, buffer, input_names=["windows"], output_names=["probability"],
                      dynamic_axes={"windows": {0: "N"}, "probability": {0: "N"}}, opset_version=OPSET,
                      do_constant_folding=True)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    return model


def trained_form(model, trained):
    """Switches the model between the forms it was trained in and those it is exported in."""
    model.pre.export_select = not trained
    if isinstance(model, TransformerClassifier):
        model.export_last_only = not trained
        model.export_2d = not trained


def reference_windows(x, rows, seed):
    """Real windows from every capture (evenly spaced) and edge cases: zeros, huge, negative, tiny."""
    n = len(rows)
    picks = [int(i) for i in np.linspace(0, n - 1, REFERENCE_WINDOWS - 6)]
    sample = x[picks].copy()
    shape = (1,) + x.shape[1:]
    rng = np.random.default_rng(seed)
    edges = [np.zeros(shape), np.full(shape, 1e30), np.full(shape, -1e30), np.full(shape, 1e-30),
             rng.normal(0, 1e6, shape), rng.normal(0, 1, shape)]
    return np.concatenate([sample] + [e.astype(np.float32) for e in edges]).astype(np.float32)


def use_one_thread():
    """Once per process: torch aborts the process if the interop threads are set a second time."""
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.use_deterministic_algorithms(True)


def fold_of_captures(rows, folds):
    """Leave captures out: the captures in name order dealt round-robin into `folds` groups within
    each category, so every fold holds out a few captures of several categories."""
    captures = sorted({r[0] for r in rows})
    category = {r[0]: r[1] for r in rows}
    folds = min(folds, len(captures)) if folds > 0 else len(captures)
    fold_of = {}
    dealt = 0
    for c in sorted(captures, key=lambda c: (category[c], c)):
        fold_of[c] = dealt % folds
        dealt += 1
    return folds, fold_of


def run_task(task):
    """One training of the recipe, in this process or a worker: a fold's model, which scores the
    windows of the captures it was not trained on, or the final model, exported."""
    kind, data, out, p, what, folds = task
    meta, x, rows = load(data)
    window, features = meta["window"], len(meta["features"])
    labels = np.array([r[2] for r in rows], dtype=np.int64)
    if what == "final":
        return train_final(kind, x, rows, labels, p, window, features, out)
    _, fold_of = fold_of_captures(rows, folds)
    held = [i for i, r in enumerate(rows) if fold_of[r[0]] == what]
    if not held:
        return what, held, None
    train = training_subset(rows, [i for i, r in enumerate(rows) if fold_of[r[0]] != what], p["maxWindowsPerCapture"])
    model, _ = fit(kind, x[train], labels[train], p, window, p["seed"] * 1000 + what)
    return what, held, score(model, x[held].astype(np.float64)).astype(np.float32)


def train_final(kind, x, rows, labels, p, window, features, out):
    train = training_subset(rows, range(len(rows)), p["maxWindowsPerCapture"])
    model, loss = fit(kind, x[train], labels[train], p, window, p["seed"])
    model32 = export(model, window, features, os.path.join(out, "model.onnx"))
    reference = reference_windows(x, rows, p["seed"])
    with torch.no_grad():
        scores = model32(torch.from_numpy(reference)).reshape(-1).numpy().astype(np.float32)
        # The exported graph's forms (select, 2-D products, last position only) against the
        # model as trained: the same scores but for the last position's rounding.
        trained_form(model32, True)
        full = model32(torch.from_numpy(reference)).reshape(-1).numpy().astype(np.float32)
        trained_form(model32, False)
        gap = float(np.max(np.abs(full - scores)))
        if gap > 1e-6:
            raise SystemExit(f"the exported graph differs from the trained model by {gap}")
    reference.astype("<f4").tofile(os.path.join(out, "reference_inputs.f32"))
    scores.astype("<f4").tofile(os.path.join(out, "reference_scores.f32"))
    return "final", loss, {"trainingWindows": int(len(train)),
                           "trainingWindowsPerClass": {"benign": int((labels[train] == 0).sum()),
                                                       "attack": int((labels[train] == 1).sum())},
                           "weights": int(sum(t.numel() for t in model.parameters()))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", choices=sorted(PARAMETERS), required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cv", action="store_true", help="also score each capture's windows with a model trained without it")
    ap.add_argument("--folds", type=int, default=0, help="with --cv: the captures dealt into this many folds (0: one per capture)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="train the folds' models and the final one in this many processes (each on one thread: "
                         "the same bytes as one process)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a parameter (for exploring; the recipes use the defaults)")
    args = ap.parse_args()
    use_one_thread()
    p = dict(PARAMETERS[args.model])
    for setting in args.set:
        key, value = setting.split("=", 1)
        if key not in p:
            raise SystemExit(f"no parameter {key} (the parameters are {sorted(p)})")
        p[key] = type(p[key])(value)
    meta, x, rows = load(args.data)
    window = meta["window"]
    os.makedirs(args.out, exist_ok=True)

    folds = fold_of_captures(rows, args.folds)[0] if args.cv else 0
    # The final model first: it trains on the most windows, so it should not be the last one started.
    tasks = [(args.model, args.data, args.out, p, what, args.folds) for what in ["final"] + list(range(folds))]
    if args.jobs > 1 and len(tasks) > 1:
        # Workers are spawned, not forked: each imports this script afresh, so the environment
        # above is set before its torch loads, and no thread state of this process is copied. A
        # worker that dies fails the run (BrokenProcessPool) rather than leaving it waiting.
        with ProcessPoolExecutor(min(args.jobs, len(tasks)), mp_context=multiprocessing.get_context("spawn"),
                                 initializer=use_one_thread) as pool:
            results = list(pool.map(run_task, tasks))
    else:
        results = [run_task(task) for task in tasks]
    _, loss, trained = results[0]

    if args.cv:
        heldout = np.zeros(len(rows), dtype=np.float32)
        for fold, held, scores in results[1:]:
            if held:
                heldout[held] = scores
                print(f"fold {fold + 1}/{folds}: {len(held)} windows held out", file=sys.stderr, flush=True)
        heldout.astype("<f4").tofile(os.path.join(args.out, "heldout_scores.f32"))
        cv = {"folds": folds, "scheme": "captures dealt round-robin within their category into folds; each fold's "
                                        "captures scored by a model trained on all other captures"}
    else:
        cv = None

    parameters = dict(p)
    parameters.update({"opset": OPSET, "window": window, "trainingDtype": "float64", "exportDtype": "float32",
                       "optimiser": "AdamW", "loss": "binary cross-entropy, classes weighted to equal total weight",
                       "input": "sign(x)·log(1+|x|), standardised by the training vectors' mean and std, clipped to ±clip"})
    info = {"parameters": parameters, "trainingWindows": trained["trainingWindows"],
            "trainingWindowsPerClass": trained["trainingWindowsPerClass"],
            "finalTrainingLoss": round(loss, 6), "weights": trained["weights"],
            "libraries": {"torch": torch.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}}
    try:
        import onnx
        info["libraries"]["onnx"] = onnx.__version__
        onnx.checker.check_model(onnx.load(os.path.join(args.out, "model.onnx")))
    except ImportError:
        pass
    if cv:
        info["crossValidation"] = cv
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(info, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
