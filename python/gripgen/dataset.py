"""A gripgen dataset (manifest.json + msgpack shards, see packages/trajgen/README.md) as numpy
arrays with normalisation statistics. Reading and checking go through the repository's reader,
examples/python/read_dataset.py (same rules and messages as the TypeScript reader); it needs the
msgpack module (Debian's python3-msgpack)."""

import importlib
import sys

import numpy as np

from .node_process import repo_root

# As the TS trainer (packages/runner/src/policy/normalization.ts): a smaller std counts as constant.
MIN_STD = 1e-6


def _reader():
    """examples/python/read_dataset.py of the repository, imported once."""
    if "read_dataset" not in sys.modules:
        folder = str(repo_root() / "examples" / "python")
        if folder not in sys.path:
            sys.path.insert(0, folder)
    return importlib.import_module("read_dataset")


class NormalizationStats:
    """Per-dimension statistics of rows of ``values`` (float64 accumulation, population std):
    ``mean``, ``std`` (1 where below MIN_STD, so constant dimensions normalise to 0), ``min``,
    ``max``, ``count``. ``normalize(x) = (x - mean) / std``; ``unnormalize`` inverts it."""

    def __init__(self, values):
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 2 or values.shape[0] == 0:
            raise ValueError("NormalizationStats: values must be a non-empty (rows, dims) array; got shape %s" % (values.shape,))
        self.count = values.shape[0]
        self.mean = values.mean(axis=0).astype(np.float32)
        std = values.std(axis=0)
        self.std = np.where((std < MIN_STD) | ~np.isfinite(std), 1.0, std).astype(np.float32)
        self.min = values.min(axis=0).astype(np.float32)
        self.max = values.max(axis=0).astype(np.float32)

    def normalize(self, x):
        return ((np.asarray(x, dtype=np.float32) - self.mean) / self.std).astype(np.float32)

    def unnormalize(self, x):
        return (np.asarray(x, dtype=np.float32) * self.std + self.mean).astype(np.float32)

    def to_dict(self):
        return {"mean": self.mean.tolist(), "std": self.std.tolist(), "min": self.min.tolist(), "max": self.max.tolist(), "count": self.count}


class DatasetArrays:
    """Every step of the episodes read, concatenated in attempt order: ``obs`` (N x obs_size),
    ``actions`` (N x 7), ``rewards``, ``dones``, ``episode_index`` and ``frame_index`` (N);
    ``episode_starts`` (E + 1 offsets); names from the manifest; ``stats["obs"]`` /
    ``stats["action"]`` (:class:`NormalizationStats`). ``dataset[i]`` is step i as a dict of
    normalised ``observation`` and ``action`` (float32) plus ``episode_index``/``frame_index``."""

    def __init__(self, manifest, episodes):
        if not episodes:
            raise ValueError("the dataset has no episodes to read (with successes_only=True, none succeeded)")
        self.task = manifest["taskId"]
        self.obs_names = tuple(manifest["obsNames"])
        self.action_names = tuple(manifest["actionNames"])
        self.obs = np.concatenate([np.asarray(e["obs"], dtype=np.float32) for e in episodes])
        self.actions = np.concatenate([np.asarray(e["actions"], dtype=np.float32) for e in episodes])
        self.rewards = np.concatenate([np.asarray(e["rewards"], dtype=np.float32) for e in episodes])
        self.dones = np.concatenate([np.asarray(e["dones"]).astype(bool) for e in episodes])
        lengths = np.array([len(e["obs"]) for e in episodes], dtype=np.int64)
        self.episode_starts = np.concatenate([[0], np.cumsum(lengths)])
        self.episode_index = np.repeat(np.arange(len(episodes), dtype=np.int64), lengths)
        self.frame_index = np.arange(len(self.obs), dtype=np.int64) - self.episode_starts[self.episode_index]
        self.attempts = np.array([e["attempt"] for e in episodes], dtype=np.int64)
        self.stats = {"obs": NormalizationStats(self.obs), "action": NormalizationStats(self.actions)}
        self.normalized_obs = self.stats["obs"].normalize(self.obs)
        self.normalized_actions = self.stats["action"].normalize(self.actions)

    @property
    def num_episodes(self):
        return len(self.episode_starts) - 1

    def __len__(self):
        return len(self.obs)

    def __getitem__(self, i):
        return {
            "observation": self.normalized_obs[i],
            "action": self.normalized_actions[i],
            "episode_index": int(self.episode_index[i]),
            "frame_index": int(self.frame_index[i]),
        }


def load_dataset(path, successes_only=True, verify=True):
    """Reads the gripgen dataset at ``path`` (checked as the TS reader checks it; a damaged one
    raises the reader's DatasetError naming the file) into :class:`DatasetArrays`; only the
    successful episodes unless ``successes_only`` is False."""
    reader = _reader()
    manifest = reader.load_manifest(str(path))
    episodes = [e for e in reader.iter_episodes(str(path), verify=verify, use_numpy=True) if e["success"] or not successes_only]
    return DatasetArrays(manifest, episodes)
