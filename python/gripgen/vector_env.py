"""A Gymnasium-style vector env (1.x conventions, next-step autoreset) over the Node simulator."""

import re
import struct
import weakref

import numpy as np

from . import protocol
from .node_process import NodeServer
from .spaces import batch_box, gymnasium, make_box

BACKENDS = ("auto", "rapier", "webgpu", "mujoco")

if gymnasium is not None:
    _Base = gymnasium.vector.VectorEnv
    _AutoresetMode = getattr(gymnasium.vector, "AutoresetMode", None)
    NEXT_STEP = _AutoresetMode.NEXT_STEP if _AutoresetMode is not None else "next_step"
else:
    _Base = object
    NEXT_STEP = "next_step"


def _camel(name):
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def _check_int(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError("%s must be an integer in [%d, %d]; got %r" % (name, low, high, value))
    return int(value)


class VectorEnv(_Base):
    """``num_envs`` worlds of one gripgen task, stepped together by the Node simulator in a child
    process (see :func:`make_vec_env`).

    Gymnasium 1.x conventions: ``reset(seed=None, options=None) -> (obs, infos)``,
    ``step(actions) -> (obs, rewards, terminations, truncations, infos)``, autoreset mode
    ``NEXT_STEP`` (the step after an episode ends resets that env, ignores its action and returns
    the new episode's first observation with reward 0 and both flags False). Success, an object
    leaving the workspace and a fault terminate; the time limit truncates; exactly one flag is
    set for an ended episode and ``infos["end_reason"]`` names why (codes index
    ``env.end_reason_names``). Arrays are numpy, fresh each call. ``infos`` holds
    ``end_reason``, ``success``, ``episode_index``, ``episode_step``, ``autoreset`` (one entry
    per env, each with Gymnasium's ``_key`` mask, all True).
    """

    def __init__(self, config):
        self._server = NodeServer(config)
        self._finalizer = weakref.finalize(self, self._server.close)
        spec = self._server.spec
        self.spec_dict = spec
        self.num_envs = spec["numEnvs"]
        self.obs_size = spec["obsSize"]
        self.action_size = spec["actionSize"]
        self.obs_names = tuple(spec["obsNames"])
        self.action_names = tuple(spec["actionNames"])
        self.end_reason_names = tuple(spec["endReasonNames"])
        self.max_episode_steps = spec["maxEpisodeSteps"]
        self.backend = spec["backend"]
        self.task = spec["taskId"]
        self.seed = spec["seed"]
        self.metadata = {"autoreset_mode": NEXT_STEP, "render_modes": []}
        self.render_mode = None
        self.single_observation_space = make_box(-np.inf, np.inf, (self.obs_size,))
        self.single_action_space = make_box(spec["actionLow"], spec["actionHigh"], (self.action_size,))
        self.observation_space = batch_box(self.single_observation_space, self.num_envs)
        self.action_space = batch_box(self.single_action_space, self.num_envs)
        self._layout = protocol.result_layout(self.num_envs, self.obs_size)
        self.closed = False

    @property
    def pid(self):
        """The Node process id."""
        return self._server.pid

    def reset(self, *, seed=None, options=None):
        """Resets every env. ``seed`` (int): every env starts episode 0 under it, so runs from the
        same seed and actions are identical; None: every env starts its next episode."""
        if options:
            raise ValueError("reset: options are not supported; got %r" % (options,))
        has_seed = seed is not None
        if has_seed:
            seed = _check_int("reset: seed", seed, 0, 0xFFFFFFFF)
            self.seed = seed
        payload = self._server.request(protocol.RESET, struct.pack("<II", 1 if has_seed else 0, seed if has_seed else 0))
        obs, _rewards, _terminations, _truncations, infos = self._unpack(payload)
        return obs, infos

    def step(self, actions):
        """Steps every env with ``actions`` (num_envs x 7, float32 within ``single_action_space``;
        clipped by the controller)."""
        actions = np.ascontiguousarray(actions, dtype="<f4")
        if actions.shape != (self.num_envs, self.action_size):
            raise ValueError("step: actions must have shape (num_envs, %d) = (%d, %d); got %s"
                             % (self.action_size, self.num_envs, self.action_size, tuple(actions.shape)))
        return self._unpack(self._server.request(protocol.STEP, actions.data.cast("B")))

    def close(self, **kwargs):
        """Ends the Node process (also done when the env is garbage-collected or Python exits)."""
        if not self.closed:
            self.closed = True
            self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _unpack(self, payload):
        n = self.num_envs
        at = self._layout
        obs = np.frombuffer(payload, dtype="<f4", count=n * self.obs_size, offset=at["obs"]).reshape(n, self.obs_size)
        rewards = np.frombuffer(payload, dtype="<f4", count=n, offset=at["rewards"])
        flag = lambda key: np.frombuffer(payload, dtype=np.uint8, count=n, offset=at[key])
        terminations = flag("terminations").astype(bool)
        truncations = flag("truncations").astype(bool)
        present = np.ones(n, dtype=bool)
        infos = {
            "end_reason": flag("end_reason"),
            "success": flag("success").astype(bool),
            "episode_index": np.frombuffer(payload, dtype="<u4", count=n, offset=at["episode"]),
            "episode_step": np.frombuffer(payload, dtype="<u4", count=n, offset=at["episode_step"]),
            "autoreset": flag("autoreset").astype(bool),
        }
        for key in list(infos):
            infos["_" + key] = present
        return obs, rewards, terminations, truncations, infos

    def __repr__(self):
        return "gripgen.VectorEnv(task=%r, num_envs=%d, backend=%r, seed=%d)" % (self.task, self.num_envs, self.backend, self.seed)


def make_vec_env(task="pick-place", num_envs=64, backend="rapier", seed=0, randomization="wide", **options):
    """A :class:`VectorEnv` of ``num_envs`` worlds of ``task`` on ``backend`` (``auto``, ``rapier``,
    ``webgpu``, ``mujoco``), randomized by ``randomization`` (a preset name such as ``narrow`` /
    ``wide``, or a dict of overrides) under ``seed``.

    Further keyword options are ``createVectorEnv``'s (snake_case or camelCase), e.g.
    ``max_episode_steps=200``, ``threads=2``, ``physics={"substeps": 2}``; the simulator names a
    bad one with its value and what is allowed.
    """
    if not isinstance(task, str):
        raise ValueError("task must be a task id string (e.g. 'pick-place'); got %r" % (task,))
    num_envs = _check_int("num_envs", num_envs, 1, 1 << 20)
    if backend not in BACKENDS:
        raise ValueError("backend must be one of %s; got %r" % (", ".join(BACKENDS), backend))
    seed = _check_int("seed", seed, 0, 0xFFFFFFFF)
    config = {"task": task, "numWorlds": num_envs, "backend": backend, "seed": seed, "randomization": randomization}
    for name, value in options.items():
        config[_camel(name)] = value
    return VectorEnv(config)
