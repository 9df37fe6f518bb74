"""gripgen's Python face.

- :func:`make_vec_env`: a Gymnasium-style vector env (1.x conventions, next-step autoreset)
  over the Node simulator, run in a child process of this one.
- :func:`load_dataset` / :class:`DatasetArrays`: a gripgen dataset (manifest + msgpack shards) as
  numpy arrays with normalisation statistics; :class:`TorchDataset` (``torch.utils.data.Dataset``)
  when torch is importable.
"""

from .node_process import GripgenError
from .spaces import Box
from .vector_env import VectorEnv, make_vec_env
from .dataset import DatasetArrays, NormalizationStats, load_dataset

try:  # optional
    from .torch_dataset import TorchDataset
except ImportError:  # torch is not installed
    TorchDataset = None

__all__ = ["Box", "DatasetArrays", "GripgenError", "NormalizationStats", "TorchDataset", "VectorEnv", "load_dataset", "make_vec_env"]
__version__ = "0.1.0"
