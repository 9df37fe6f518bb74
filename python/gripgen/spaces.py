"""Observation and action spaces: gymnasium.spaces.Box when Gymnasium is installed, else
:class:`Box`, an object with the same shape, dtype, low and high (and ``sample``/``contains``)."""

import numpy as np

try:  # optional
    import gymnasium
except ImportError:  # pragma: no cover - depends on the machine
    gymnasium = None


class Box:
    """A box of ``shape`` with bounds ``low``/``high`` (arrays of ``dtype``; +-inf = unbounded):
    what gymnasium.spaces.Box holds, for machines without Gymnasium."""

    def __init__(self, low, high, shape, dtype=np.float32, seed=None):
        self.dtype = np.dtype(dtype)
        self.shape = tuple(int(s) for s in shape)
        self.low = np.broadcast_to(np.asarray(low, dtype=self.dtype), self.shape).copy()
        self.high = np.broadcast_to(np.asarray(high, dtype=self.dtype), self.shape).copy()
        self._rng = np.random.default_rng(seed)

    def seed(self, seed=None):
        """Reseeds ``sample``."""
        self._rng = np.random.default_rng(seed)
        return [seed]

    def sample(self):
        """A uniform draw inside the bounds (normal where unbounded, as Gymnasium does)."""
        bounded = np.isfinite(self.low) & np.isfinite(self.high)
        out = self._rng.standard_normal(self.shape)
        uniform = self._rng.uniform(np.where(bounded, self.low, 0), np.where(bounded, self.high, 1))
        return np.where(bounded, uniform, out).astype(self.dtype)

    def contains(self, x):
        """Whether ``x`` has this shape and lies within the bounds."""
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low)) and bool(np.all(x <= self.high))

    def __contains__(self, x):
        return self.contains(x)

    def __repr__(self):
        return "Box(%s, %s, %s, %s)" % (self.low.min(), self.high.max(), self.shape, self.dtype)

    def __eq__(self, other):
        return (isinstance(other, Box) and self.shape == other.shape and self.dtype == other.dtype
                and np.array_equal(self.low, other.low) and np.array_equal(self.high, other.high))


def make_box(low, high, shape):
    """A float32 box: gymnasium.spaces.Box when Gymnasium is importable, else :class:`Box`."""
    low = np.broadcast_to(np.asarray(low, dtype=np.float32), shape)
    high = np.broadcast_to(np.asarray(high, dtype=np.float32), shape)
    if gymnasium is not None:
        return gymnasium.spaces.Box(low=low, high=high, shape=tuple(shape), dtype=np.float32)
    return Box(low, high, shape, np.float32)


def batch_box(space, num_envs):
    """The box of ``num_envs`` stacked draws of ``space`` (Gymnasium's ``batch_space``)."""
    low = np.broadcast_to(space.low, (num_envs,) + tuple(space.shape))
    high = np.broadcast_to(space.high, (num_envs,) + tuple(space.shape))
    return make_box(low, high, (num_envs,) + tuple(space.shape))
