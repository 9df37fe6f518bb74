#!/usr/bin/env python3
"""Checks of the Python package that the vitest test packages/runner/test/python-vec-env.test.ts
runs (it needs only numpy; PYTHONPATH=python or an installed package).

    check_vec_env.py vec-env OUT_DIR    # 64 worlds x 300 random steps, autoreset rule, seeds, close
    check_vec_env.py dataset DATASET OUT_DIR

Prints one JSON object (what was checked and counted) and writes the arrays the TS side compares
(raw little-endian float32/uint8) into OUT_DIR. A failed check raises (exit code 1)."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np

import gripgen

NUM_ENVS = 64
STEPS = 300
MAX_EPISODE_STEPS = 40
SEED = 5
CONFIG = dict(task="pick-place", num_envs=NUM_ENVS, backend="rapier", seed=SEED, randomization="wide", max_episode_steps=MAX_EPISODE_STEPS)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def random_actions(space, steps, seed):
    rng = np.random.default_rng(seed)
    low, high = np.asarray(space.low, np.float32), np.asarray(space.high, np.float32)
    return rng.uniform(low, high, size=(steps, NUM_ENVS, len(low))).astype(np.float32)


def run(env, actions, seed):
    obs, info = env.reset(seed=seed)
    trace = {"obs": [obs], "rewards": [], "terminations": [], "truncations": [], "end_reason": [], "autoreset": [],
             "episode_index": [info["episode_index"]], "episode_step": [info["episode_step"]]}
    for a in actions:
        obs, rewards, terminations, truncations, info = env.step(a)
        check(obs.shape == (NUM_ENVS, env.obs_size) and obs.dtype == np.float32, "obs shape/dtype %s %s" % (obs.shape, obs.dtype))
        check(rewards.shape == (NUM_ENVS,) and terminations.dtype == bool and truncations.dtype == bool, "reward/flag shapes")
        for key, value in (("obs", obs), ("rewards", rewards), ("terminations", terminations), ("truncations", truncations),
                           ("end_reason", info["end_reason"]), ("autoreset", info["autoreset"]),
                           ("episode_index", info["episode_index"]), ("episode_step", info["episode_step"])):
            trace[key].append(value)
    return {key: np.stack(value) for key, value in trace.items()}


def check_autoreset(trace, end_reason_names):
    """Gymnasium's next-step rule, step by step and env by env."""
    time_limit = end_reason_names.index("timeLimit")
    ended_prev = np.zeros(NUM_ENVS, dtype=bool)
    counts = {"autoresets": 0, "terminations": 0, "truncations": 0}
    for t in range(STEPS):
        term, trunc, auto = trace["terminations"][t], trace["truncations"][t], trace["autoreset"][t]
        reason = trace["end_reason"][t]
        episode, step = trace["episode_index"][t + 1], trace["episode_step"][t + 1]
        prev_episode, prev_step = trace["episode_index"][t], trace["episode_step"][t]
        check(np.array_equal(auto, ended_prev), "step %d: autoreset %s != previous step's endings %s" % (t, np.flatnonzero(auto), np.flatnonzero(ended_prev)))
        check(not np.any(term & trunc), "step %d: an episode both terminated and truncated" % t)
        check(np.all(trace["rewards"][t][auto] == 0) and not np.any((term | trunc)[auto]), "step %d: an autoreset env has reward or flags" % t)
        check(np.all(step[auto] == 0) and np.all(episode[auto] == prev_episode[auto] + 1), "step %d: an autoreset env did not start its next episode" % t)
        going = ~auto
        check(np.all(step[going] == prev_step[going] + 1) and np.all(episode[going] == prev_episode[going]), "step %d: a going env's counters" % t)
        check(np.array_equal(trunc, reason == time_limit), "step %d: truncations != end_reason timeLimit" % t)
        check(np.array_equal(term, (reason != 0) & (reason != time_limit)), "step %d: terminations != other end reasons" % t)
        check(np.array_equal(trunc, going & (step == MAX_EPISODE_STEPS) & ~term), "step %d: truncation not exactly at the time limit" % t)
        ended_prev = term | trunc
        counts["autoresets"] += int(auto.sum())
        counts["terminations"] += int(term.sum())
        counts["truncations"] += int(trunc.sum())
    return counts


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        with open("/proc/%d/stat" % pid) as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pid, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def vec_env(out):
    summary = {}
    env = gripgen.make_vec_env(**CONFIG)
    space, obs_space = env.single_action_space, env.single_observation_space
    check(tuple(space.shape) == (7,) and space.dtype == np.float32, "single_action_space %r" % (space,))
    check(tuple(obs_space.shape) == (env.obs_size,) and np.all(np.isinf(obs_space.low)), "single_observation_space %r" % (obs_space,))
    check(tuple(env.action_space.shape) == (NUM_ENVS, 7) and tuple(env.observation_space.shape) == (NUM_ENVS, env.obs_size), "batched spaces")
    check(str(env.metadata["autoreset_mode"]).lower().endswith("next_step"), "autoreset_mode %r" % (env.metadata["autoreset_mode"],))
    summary["gymnasium"] = gripgen.spaces.gymnasium is not None
    summary["spaceType"] = type(space).__module__ + "." + type(space).__name__
    actions = random_actions(space, STEPS, 0)

    started = time.time()
    first = run(env, actions, SEED)
    summary["stepsPerSecond"] = STEPS * NUM_ENVS / (time.time() - started)
    summary.update(check_autoreset(first, env.end_reason_names))
    summary["endReasons"] = {name: int((first["end_reason"] == code).sum()) for code, name in enumerate(env.end_reason_names) if code}

    # Seeded runs are identical: the same env reset to the seed again, and a second env.
    again = run(env, actions, SEED)
    for key in first:
        check(np.array_equal(first[key], again[key]), "reset(seed) run differs in %s" % key)
    other = gripgen.make_vec_env(**CONFIG)
    short = run(other, actions[:60], SEED)
    for key in short:
        check(np.array_equal(first[key][:len(short[key])], short[key]), "second env's run differs in %s" % key)
    moved_obs, moved_info = env.reset()
    check(np.all(moved_info["episode_index"] == again["episode_index"][-1] + 1), "reset() without seed starts the next episodes")

    # Bad input names what is wrong.
    for bad, expected in ((np.zeros((NUM_ENVS, 6)), "shape"), (np.full((NUM_ENVS, 7), np.nan), "non-finite")):
        try:
            env.step(bad)
        except (ValueError, gripgen.GripgenError) as e:
            check(expected in str(e), "error %r lacks %r" % (str(e), expected))
        else:
            raise AssertionError("a bad action was accepted")
    try:
        gripgen.make_vec_env(task="pick-place", num_envs=2, backend="rapier", randomization="medium")
    except gripgen.GripgenError as e:
        check("medium" in str(e) and "narrow" in str(e), "bad preset message %r" % str(e))
        summary["badPresetMessage"] = str(e)
    else:
        raise AssertionError("an unknown preset was accepted")

    # close() ends the Node process; so does the end of a Python process that never closed.
    pids = [env.pid, other.pid]
    env.close()
    other.close()
    summary["closedProcessesGone"] = all(wait_gone(pid, 10) for pid in pids)
    child = subprocess.run([sys.executable, "-c", (
        "import os, signal, gripgen\n"
        "env = gripgen.make_vec_env(task='pick-place', num_envs=2, backend='rapier')\n"
        "env.reset()\n"
        "print(env.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")], capture_output=True, text=True, env=os.environ.copy())
    orphan = int(child.stdout.strip())
    check(child.returncode == -signal.SIGKILL, "the child Python was not killed: %r" % (child.stderr,))
    summary["killedParentProcessGone"] = wait_gone(orphan, 10)

    first["obs"].astype("<f4").tofile(os.path.join(out, "obs.f32"))
    actions.astype("<f4").tofile(os.path.join(out, "actions.f32"))
    first["rewards"].astype("<f4").tofile(os.path.join(out, "rewards.f32"))
    for key in ("terminations", "truncations", "end_reason", "autoreset"):
        first[key].astype(np.uint8).tofile(os.path.join(out, key + ".u8"))
    summary.update(numEnvs=NUM_ENVS, steps=STEPS, obsSize=env.obs_size, seed=SEED, maxEpisodeSteps=MAX_EPISODE_STEPS)
    return summary


def dataset(path, out):
    arrays = gripgen.load_dataset(path)
    check(len(arrays) == arrays.episode_starts[-1] == len(arrays.actions), "step counts")
    stats = arrays.stats["obs"]
    varying = arrays.obs.std(axis=0) > 1e-6
    normalized = arrays.normalized_obs
    # The float32 rounding of a value near its mean, carried through (x - mean) / std: a column that
    # varies little against its size (a quaternion's w near 1 varies by 5e-5) has a normalised mean
    # off 0 by up to a few float32 epsilons times |mean| / std.
    rounding = 4 * np.finfo(np.float32).eps * np.abs(stats.mean[varying]) / stats.std[varying]
    check(np.all(np.abs(normalized[:, varying].mean(axis=0)) <= 1e-4 + rounding), "normalised obs mean")
    check(np.allclose(normalized[:, varying].std(axis=0), 1, atol=1e-3), "normalised obs std")
    check(np.allclose(stats.unnormalize(normalized), arrays.obs, atol=1e-5), "unnormalize inverts normalize")
    item = arrays[3]
    check(np.array_equal(item["observation"], normalized[3]) and item["frame_index"] == 3 - arrays.episode_starts[item["episode_index"]], "item 3")
    arrays.obs.astype("<f4").tofile(os.path.join(out, "dataset-obs.f32"))
    arrays.actions.astype("<f4").tofile(os.path.join(out, "dataset-actions.f32"))
    torch_checked = False
    if gripgen.TorchDataset is not None:
        import torch
        data = gripgen.TorchDataset(arrays)
        batch = next(iter(torch.utils.data.DataLoader(data, batch_size=8)))
        check(batch["observation"].dtype == torch.float32 and tuple(batch["observation"].shape) == (8, arrays.obs.shape[1]), "torch batch")
        check(np.array_equal(batch["observation"].numpy(), normalized[:8]), "torch observations are the normalised ones")
        check(np.array_equal(batch["action"].numpy(), arrays.normalized_actions[:8]), "torch actions are the normalised ones")
        check(np.array_equal(batch["frame_index"].numpy(), np.arange(8) - arrays.episode_starts[batch["episode_index"].numpy()]), "torch frame indices")
        torch_checked = True
    return {"steps": len(arrays), "episodes": arrays.num_episodes, "obsMean": stats.mean.tolist(), "obsStd": stats.std.tolist(),
            "actionMean": arrays.stats["action"].mean.tolist(), "actionStd": arrays.stats["action"].std.tolist(), "torch": torch_checked}


def main(argv):
    if len(argv) >= 2 and argv[0] == "vec-env":
        result = vec_env(argv[1])
    elif len(argv) >= 3 and argv[0] == "dataset":
        result = dataset(argv[1], argv[2])
    else:
        sys.exit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
