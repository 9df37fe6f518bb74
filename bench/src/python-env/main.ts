/**
 * `npm run bench:python-env`: env-steps per second of the Python vector env
 * (`gripgen.make_vec_env`, a Node child process behind binary pipes) against the TS API it wraps
 * (`createVectorEnv` in this process), pick-place on rapier, 64 and 1024 worlds, seeded uniform
 * random actions from a pool of 16 batches, episodes of 50 steps (autoresets included). TS and
 * Python rounds alternate, so a busy machine slows both alike; each round starts an env, warms it
 * up and measures `--seconds` ÷ `--rounds`, until each row has `--seconds` (default 3) in at least
 * `--rounds` (default 3) rounds; the ratio compares the medians. Beside wall
 * time, the CPU time per step (TS: this process; Python: the Python and the Node process) shows
 * what the pipes cost in work, apart from the waits a busy machine adds to every wake-up.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createVectorEnv } from '@gripgen/sim-core';
import { formatNumber, formatTable } from '@gripgen/runner';
import { formatMedian, formatSpread, roundsNote, roundsRecord } from '../rounds/format.js';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';
import { roundPolicy, roundUsage } from '../rounds/options.js';
import { median, repeatRounds } from '../rounds/repeat.js';

const POLICY = { minSeconds: 3, minRounds: 3 };

const USAGE = `Usage: npm run bench:python-env [-- --worlds 64,1024] [--seconds 3] [--rounds 3] [--python python3]

Env-steps/s of gripgen.make_vec_env (Python, Node child process) against createVectorEnv (TS),
pick-place on rapier with random actions. Needs python3 with numpy.
${roundUsage(POLICY, '--seconds', '--rounds')}`;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const STEP_LOOP = fileURLToPath(new URL('./step_loop.py', import.meta.url));
const ACTION_POOL = 16;
const EPISODE_STEPS = 50;
const WARMUP_SECONDS = 3;
const SEED = 0;

/** One round: an env created, warmed up and stepped for a while. */
interface Measurement {
  steps: number;
  seconds: number;
  /** Env-steps (steps × worlds). */
  work: number;
  /** CPU seconds of the measured steps (every process and thread doing the work). */
  cpuSeconds: number;
  setupSeconds: number;
  warmupSteps: number;
}

/** Steps `createVectorEnv` as step_loop.py steps the Python env (warm-up: WARMUP_SECONDS; fresh worker threads tier up Rapier's WASM in their first seconds). */
async function measureTs(numWorlds: number, minSeconds: number): Promise<Measurement> {
  const started = performance.now();
  const env = await createVectorEnv({ task: 'pick-place', numWorlds, backend: 'rapier', seed: SEED, randomization: 'wide', maxEpisodeSteps: EPISODE_STEPS });
  await env.reset({ seed: SEED });
  const setupSeconds = (performance.now() - started) / 1000;
  const { low, high } = env.singleActionSpace;
  let state = 0x9e3779b9;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const pool = Array.from({ length: ACTION_POOL }, () => Float32Array.from({ length: numWorlds * 7 }, (_, i) => low[i % 7] + (high[i % 7] - low[i % 7]) * random()));
  let warmupSteps = 0;
  let t0 = performance.now();
  while (performance.now() - t0 < WARMUP_SECONDS * 1000) await env.step(pool[warmupSteps++ % ACTION_POOL]);
  let steps = 0;
  let seconds = 0;
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  do {
    await env.step(pool[steps++ % ACTION_POOL]);
    seconds = (performance.now() - t0) / 1000;
  } while (seconds < minSeconds);
  const cpu = process.cpuUsage(cpu0);
  await env.close();
  return { steps, seconds, work: steps * numWorlds, cpuSeconds: (cpu.user + cpu.system) / 1e6, setupSeconds, warmupSteps };
}

/** Runs step_loop.py (asynchronously) and returns what it measured. */
function measurePython(python: string, numWorlds: number, minSeconds: number): Promise<Measurement> {
  const config = { task: 'pick-place', num_envs: numWorlds, backend: 'rapier', seed: SEED, randomization: 'wide', max_episode_steps: EPISODE_STEPS };
  return new Promise((resolve, reject) => {
    execFile(
      python,
      [STEP_LOOP, JSON.stringify(config), String(minSeconds), String(WARMUP_SECONDS)],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PYTHONPATH: `${repoRoot}python` }, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${python} ${STEP_LOOP} failed: ${stderr.trim() || error.message}`));
        else {
          const m = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<Measurement, 'work'>;
          resolve({ ...m, work: m.steps * numWorlds });
        }
      },
    );
  });
}

/** Runs the benchmark, prints the table and writes bench/results/python-env-throughput.json. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      worlds: { type: 'string', default: '64,1024' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      python: { type: 'string', default: process.env.GRIPGEN_PYTHON ?? 'python3' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const worlds = values.worlds.split(',').map(Number);
  if (!worlds.every((w) => Number.isInteger(w) && w >= 1)) throw new Error(`--worlds: got ${JSON.stringify(values.worlds)}; allowed: comma-separated positive integers`);
  const policy = roundPolicy(values.seconds, values.rounds, POLICY, ['--seconds', '--rounds']);
  const machine = startMachine();
  console.error(`python vector env vs TS on ${formatBenchMachine(machine)}`);
  const apis = ['ts', 'python'] as const;
  const roundSeconds = policy.minSeconds / policy.minRounds;
  const summary = [];
  for (const numWorlds of worlds) {
    const [ts, python] = await repeatRounds(
      apis,
      async (api, round) => {
        const m = api === 'ts' ? await measureTs(numWorlds, roundSeconds) : await measurePython(values.python, numWorlds, roundSeconds);
        console.error(
          `  ${String(numWorlds).padStart(5)} worlds, ${api.padEnd(6)} round ${round + 1}: ${formatNumber(m.work / m.seconds)} env-steps/s ` +
            `(${m.steps} steps in ${m.seconds.toFixed(1)} s, CPU ${((1000 * m.cpuSeconds) / m.steps).toFixed(1)} ms/step)`,
        );
        return m;
      },
      policy,
    );
    for (const r of [ts!, python!]) if (r.error !== undefined) throw new Error(r.error);
    const cpu = (r: typeof ts) => median(r!.rounds.map((m) => (1000 * m.cpuSeconds) / m.steps));
    summary.push({ numWorlds, ts: ts!, python: python!, ratio: python!.median / ts!.median, tsCpuMsPerStep: cpu(ts), pythonCpuMsPerStep: cpu(python) });
  }
  finishMachine(machine);
  console.log(`\nPython vector env vs TS createVectorEnv: pick-place, rapier (default threads), random actions, episodes of ${EPISODE_STEPS} steps`);
  console.log(`${formatBenchMachine(machine)}\n`);
  console.log(
    formatTable(
      summary.map((s) => [
        s.numWorlds,
        formatMedian(s.ts),
        formatSpread(s.ts),
        formatMedian(s.python),
        formatSpread(s.python),
        `${s.ratio.toFixed(2)}x`,
        s.tsCpuMsPerStep.toFixed(1),
        s.pythonCpuMsPerStep.toFixed(1),
        `${s.ts.rounds.length}/${s.python.rounds.length}`,
      ]),
      { header: ['worlds', 'TS env-steps/s', 'TS min–max', 'Python env-steps/s', 'Python min–max', 'Python/TS', 'TS CPU ms/step', 'Python CPU ms/step', 'rounds TS/Py'] },
    ),
  );
  console.log(`\n${roundsNote(policy)}; Python/TS: ratio of the medians; CPU ms/step: median of the rounds`);
  const dir = new URL('../../results/', import.meta.url);
  const file = new URL('python-env-throughput.json', dir);
  await mkdir(dir, { recursive: true });
  const report = {
    benchmark: 'python-env-throughput',
    date: new Date().toISOString(),
    machine,
    python: values.python,
    task: 'pick-place',
    backend: 'rapier',
    randomization: 'wide',
    episodeSteps: EPISODE_STEPS,
    actions: `uniform random within the action space, a pool of ${ACTION_POOL} batches cycled`,
    rounds: roundsRecord(policy),
    summary,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
