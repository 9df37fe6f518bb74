"""Train a small behaviour-cloning policy in PyTorch on a gripgen dataset, export it to ONNX in
the contract ``gripgen eval`` reads, and evaluate it on held-out worlds with ``gripgen eval``.

The ONNX contract (packages/runner/README.md, "ONNX policies"): one input, float32 [N, obs_size]
raw observations in the task's order (the dataset's ``obsNames``); output ``actions``, float32
[N, 7] raw delta actions; the normalisation inside the graph (here: buffers of the module);
optional metadata ``gripgen.obs_names`` and ``gripgen.binary_actions`` (needs the ``onnx``
package; without it the gripper command is executed as predicted, not snapped to -1/+1).

Runs with PyTorch 1.13 (Debian's python3-torch, which scripts/setup.sh installs with python3-onnx)
and 2.x; packages/runner/test/python-vec-env.test.ts runs it on a small dataset, and the ONNX
contract of ``gripgen eval`` is tested from TypeScript (packages/runner/test/eval-onnx.test.ts).

From the repository root::

    npm run gripgen -- demos --task pick-place --count 10 --out out/demos
    npm run gripgen -- generate --source out/demos --out out/dataset --count 200
    pip install --no-build-isolation -e python   # torch and onnx: Debian's python3-torch, python3-onnx, or pip
    python3 examples/python/train_torch_onnx.py out/dataset --out out/policy.onnx --worlds 500
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

import gripgen

REPO_ROOT = Path(__file__).resolve().parents[2]


class Policy(nn.Module):
    """An MLP on normalised values, wrapped so that raw observations go in and raw actions come out."""

    def __init__(self, stats, obs_size, action_size, hidden):
        super().__init__()
        self.register_buffer("obs_mean", torch.from_numpy(stats["obs"].mean))
        self.register_buffer("obs_std", torch.from_numpy(stats["obs"].std))
        self.register_buffer("action_mean", torch.from_numpy(stats["action"].mean))
        self.register_buffer("action_std", torch.from_numpy(stats["action"].std))
        layers, width = [], obs_size
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        layers.append(nn.Linear(width, action_size))
        self.net = nn.Sequential(*layers)

    def forward(self, obs):
        return self.net((obs - self.obs_mean) / self.obs_std) * self.action_std + self.action_mean


def binary_actions(actions):
    """Action dimensions that take exactly two values in the data (the gripper: -1 open, +1 close)."""
    out = []
    for d in range(actions.shape[1]):
        levels = np.unique(actions[:, d])
        if len(levels) == 2:
            out.append({"index": d, "low": float(levels[0]), "high": float(levels[1])})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", help="a gripgen dataset directory (gripgen generate --out)")
    parser.add_argument("--out", default="policy.onnx", help="where to write the ONNX model")
    parser.add_argument("--hidden", default="256,256", help="hidden layer widths, comma-separated")
    parser.add_argument("--steps", type=int, default=5000, help="training steps (mini-batches)")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worlds", type=int, default=1000, help="held-out worlds for gripgen eval (0: do not evaluate)")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    data = gripgen.TorchDataset(args.dataset)  # normalised observations and actions, with the statistics
    arrays = data.arrays
    obs_size, action_size = arrays.obs.shape[1], arrays.actions.shape[1]
    model = Policy(data.stats, obs_size, action_size, [int(h) for h in args.hidden.split(",")])
    # drop_last keeps every batch full; a dataset smaller than a batch is one batch.
    loader = torch.utils.data.DataLoader(data, batch_size=min(args.batch, len(data)), shuffle=True, drop_last=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)

    step = 0
    while step < args.steps:
        for batch in loader:
            # The loss on normalised actions, as gripgen's own trainer computes it.
            loss = nn.functional.mse_loss(model.net(batch["observation"]), batch["action"])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if step % 500 == 0 or step == args.steps:
                print(f"step {step}/{args.steps}  loss {loss.item():.4f}", file=sys.stderr)
            if step == args.steps:
                break

    model.eval()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    export = dict(
        input_names=["obs"],
        output_names=["actions"],
        dynamic_axes={"obs": {0: "N"}, "actions": {0: "N"}},  # the batch is the number of worlds
        opset_version=17,
    )
    try:
        # The TorchScript exporter (PyTorch 2.9 made the dynamo one, which needs onnxscript, the default).
        torch.onnx.export(model, (torch.zeros(1, obs_size),), str(out), dynamo=False, **export)
    except TypeError:  # PyTorch < 2.5: no dynamo argument
        torch.onnx.export(model, (torch.zeros(1, obs_size),), str(out), **export)
    try:
        import onnx

        model_proto = onnx.load(str(out))
        for key, value in (("gripgen.obs_names", list(arrays.obs_names)), ("gripgen.binary_actions", binary_actions(arrays.actions))):
            entry = model_proto.metadata_props.add()
            entry.key, entry.value = key, json.dumps(value)
        onnx.save(model_proto, str(out))
    except ImportError:
        print("onnx is not installed: no gripgen.* metadata (the gripper command is executed as predicted)", file=sys.stderr)
    print(f"wrote {out}", file=sys.stderr)

    if args.worlds > 0:
        # The worlds gripgen eval draws (seed 1000003 by default) are held out from the data's seeds.
        command = ["npm", "run", "-s", "gripgen", "--", "eval", "--policy", str(out.resolve()), "--task", arrays.task, "--worlds", str(args.worlds)]
        subprocess.run(command, cwd=REPO_ROOT, check=True)


if __name__ == "__main__":
    main()
