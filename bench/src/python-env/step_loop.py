#!/usr/bin/env python3
"""The Python side of `npm run bench:python-env`: steps gripgen.make_vec_env with a pool of seeded
random actions until at least MIN_SECONDS passed (after a warm-up), and prints one JSON line:
{"steps", "seconds", "cpuSeconds", "setupSeconds", "warmupSteps"}; cpuSeconds: CPU time of this
process and of the Node process (all its threads, from /proc) during the measured steps.
PYTHONPATH must reach python/gripgen.

    step_loop.py CONFIG_JSON MIN_SECONDS WARMUP_SECONDS"""

import json
import os
import sys
import time

import numpy as np

import gripgen

ACTION_POOL = 16
TICKS = os.sysconf("SC_CLK_TCK")


def node_cpu_seconds(pid):
    """User + system CPU seconds of process `pid`, all threads (Linux /proc)."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def cpu_seconds(pid):
    return time.process_time() + node_cpu_seconds(pid)


def main(argv):
    config, min_seconds, warmup_seconds = json.loads(argv[0]), float(argv[1]), float(argv[2])
    started = time.perf_counter()
    env = gripgen.make_vec_env(**config)
    env.reset(seed=config["seed"])
    setup = time.perf_counter() - started
    rng = np.random.default_rng(0)
    low, high = env.single_action_space.low, env.single_action_space.high
    pool = rng.uniform(low, high, size=(ACTION_POOL, env.num_envs, len(low))).astype(np.float32)
    warmup = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < warmup_seconds:
        env.step(pool[warmup % ACTION_POOL])
        warmup += 1
    steps = 0
    cpu0 = cpu_seconds(env.pid)
    t0 = time.perf_counter()
    while True:
        env.step(pool[steps % ACTION_POOL])
        steps += 1
        seconds = time.perf_counter() - t0
        if seconds >= min_seconds:
            break
    cpu = cpu_seconds(env.pid) - cpu0
    env.close()
    print(json.dumps({"steps": steps, "seconds": seconds, "cpuSeconds": cpu, "setupSeconds": setup, "warmupSteps": warmup}))


if __name__ == "__main__":
    main(sys.argv[1:])
