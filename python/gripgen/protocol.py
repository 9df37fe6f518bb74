"""The binary frames between this package and the Node server (mirror of
packages/runner/src/python-env/frame-protocol.ts).

Every message is ``u32 kind, u32 payload bytes, payload``, little-endian. Arrays travel as raw
bytes; only the one-off spec (``READY``) is JSON.
"""

import struct

RESET = 1
STEP = 2
CLOSE = 3
READY = 10
RESULT = 11
ERROR = 12
CLOSED = 13

HEADER = struct.Struct("<II")


def result_layout(num_envs, obs_size):
    """Byte offsets of a RESULT payload: obs (f32), rewards (f32), episode (u32), episode_step
    (u32), then one byte per env each of terminations, truncations, end_reason, success, autoreset."""
    obs = 0
    rewards = obs + num_envs * obs_size * 4
    episode = rewards + num_envs * 4
    episode_step = episode + num_envs * 4
    terminations = episode_step + num_envs * 4
    truncations = terminations + num_envs
    end_reason = truncations + num_envs
    success = end_reason + num_envs
    autoreset = success + num_envs
    return {
        "obs": obs,
        "rewards": rewards,
        "episode": episode,
        "episode_step": episode_step,
        "terminations": terminations,
        "truncations": truncations,
        "end_reason": end_reason,
        "success": success,
        "autoreset": autoreset,
        "bytes": autoreset + num_envs,
    }
