"""``torch.utils.data.Dataset`` over a gripgen dataset (imported only when torch is)."""

import torch

from .dataset import DatasetArrays, load_dataset


class TorchDataset(torch.utils.data.Dataset):
    """Steps of a gripgen dataset as normalised float32 tensors: ``dataset[i]`` is a dict with
    ``observation`` (obs_size), ``action`` (7), ``episode_index``, ``frame_index``. ``source`` is
    a dataset path (read with :func:`gripgen.load_dataset`) or :class:`DatasetArrays`; ``stats``
    holds the normalisation statistics (``stats["obs"].unnormalize`` maps back)."""

    def __init__(self, source, successes_only=True):
        self.arrays = source if isinstance(source, DatasetArrays) else load_dataset(source, successes_only=successes_only)
        self.stats = self.arrays.stats
        self.observations = torch.from_numpy(self.arrays.normalized_obs)
        self.actions = torch.from_numpy(self.arrays.normalized_actions)
        self.episode_index = torch.from_numpy(self.arrays.episode_index)
        self.frame_index = torch.from_numpy(self.arrays.frame_index)

    def __len__(self):
        return len(self.observations)

    def __getitem__(self, i):
        return {
            "observation": self.observations[i],
            "action": self.actions[i],
            "episode_index": self.episode_index[i],
            "frame_index": self.frame_index[i],
        }
