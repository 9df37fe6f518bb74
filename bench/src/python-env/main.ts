/**
 * `npm run bench:python-env`: env-steps per second of the Python vector env
 * (`gripgen.make_vec_env`, a Node child process behind binary pipes) against the TS API it wraps
 * (`createVectorEnv` in this process), pick-place on rapier, 64 and 1024 worlds, seeded uniform
 * random actions from a pool of 16 batches, episodes of 50 steps (autoresets included). TS and
 * Python rows alternate, `--rounds` times, so a busy machine slows both alike; each row measures
 * at least `--seconds` (default 3) after a warm-up; the ratio compares the medians. Beside wall
 * time, the CPU time per step (TS: this process; Python: the Python and the Node process) shows
 * what the pipes cost in work, apart from the waits a busy machine adds to every wake-up.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createVectorEnv } from '@gripgen/sim-core';
import { describeMachine, formatMachine, formatNumber, formatTable } from '@gripgen/runner';

const USAGE = `Usage: npm run bench:python-env [-- --worlds 64,1024] [--seconds 3] [--rounds 2] [--python python3]

Env-steps/s of gripgen.make_vec_env (Python, Node child process) against createVectorEnv (TS),
pick-place on rapier with random actions. Needs python3 with numpy.`;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const STEP_LOOP = fileURLToPath(new URL('./step_loop.py', import.meta.url));
const ACTION_POOL = 16;
const EPISODE_STEPS = 50;
const WARMUP_SECONDS = 3;
const SEED = 0;

interface Measurement {
  steps: number;
  seconds: number;
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
  return { steps, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, setupSeconds, warmupSteps };
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
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!));
      },
    );
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs the benchmark, prints the table and writes bench/results/python-env-throughput.json. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      worlds: { type: 'string', default: '64,1024' },
      seconds: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '2' },
      python: { type: 'string', default: process.env.GRIPGEN_PYTHON ?? 'python3' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const worlds = values.worlds.split(',').map(Number);
  const minSeconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  for (const [name, ok] of [['--worlds', worlds.every((w) => Number.isInteger(w) && w >= 1)], ['--seconds', minSeconds >= 3], ['--rounds', Number.isInteger(rounds) && rounds >= 1]] as const) {
    if (!ok) throw new Error(`${name}: got ${JSON.stringify(values[name.slice(2) as 'worlds'])}; allowed: ${name === '--worlds' ? 'comma-separated positive integers' : name === '--seconds' ? 'a number >= 3' : 'a positive integer'}`);
  }
  const machine = describeMachine();
  console.error(`python vector env vs TS on ${formatMachine(machine)}`);
  const load = { start: loadavg()[0]!, end: NaN };
  const results: Array<{ numWorlds: number; api: 'ts' | 'python'; round: number } & Measurement & { envStepsPerSecond: number; cpuMsPerStep: number }> = [];
  for (const numWorlds of worlds) {
    for (let round = 0; round < rounds; round++) {
      for (const api of ['ts', 'python'] as const) {
        const m = api === 'ts' ? await measureTs(numWorlds, minSeconds) : await measurePython(values.python, numWorlds, minSeconds);
        const row = { numWorlds, api, round, ...m, envStepsPerSecond: (m.steps * numWorlds) / m.seconds, cpuMsPerStep: (1000 * m.cpuSeconds) / m.steps };
        results.push(row);
        console.error(
          `  ${String(numWorlds).padStart(5)} worlds, ${api.padEnd(6)} round ${round + 1}: ${formatNumber(row.envStepsPerSecond)} env-steps/s ` +
            `(${m.steps} steps in ${m.seconds.toFixed(1)} s, CPU ${row.cpuMsPerStep.toFixed(1)} ms/step)`,
        );
      }
    }
  }
  load.end = loadavg()[0]!;
  const summary = worlds.map((numWorlds) => {
    const of = (api: 'ts' | 'python') => median(results.filter((r) => r.numWorlds === numWorlds && r.api === api).map((r) => r.envStepsPerSecond));
    const ts = of('ts');
    const python = of('python');
    const all = (api: 'ts' | 'python') => results.filter((r) => r.numWorlds === numWorlds && r.api === api).map((r) => r.envStepsPerSecond);
    const cpu = (api: 'ts' | 'python') => median(results.filter((r) => r.numWorlds === numWorlds && r.api === api).map((r) => r.cpuMsPerStep));
    return {
      numWorlds,
      tsEnvStepsPerSecond: ts,
      pythonEnvStepsPerSecond: python,
      ratio: python / ts,
      tsCpuMsPerStep: cpu('ts'),
      pythonCpuMsPerStep: cpu('python'),
      tsRounds: all('ts'),
      pythonRounds: all('python'),
    };
  });
  console.log(`\nPython vector env vs TS createVectorEnv: pick-place, rapier (default threads), random actions, episodes of ${EPISODE_STEPS} steps`);
  console.log(`${formatMachine(machine)}; ${rounds} alternating rounds, each row >= ${minSeconds} s; medians\n`);
  console.log(
    formatTable(
      summary.map((s) => [
        s.numWorlds,
        formatNumber(s.tsEnvStepsPerSecond),
        formatNumber(s.pythonEnvStepsPerSecond),
        `${s.ratio.toFixed(2)}x`,
        s.tsCpuMsPerStep.toFixed(1),
        s.pythonCpuMsPerStep.toFixed(1),
        s.tsRounds.map((v) => formatNumber(v)).join(' / '),
        s.pythonRounds.map((v) => formatNumber(v)).join(' / '),
      ]),
      { header: ['worlds', 'TS env-steps/s', 'Python env-steps/s', 'Python/TS', 'TS CPU ms/step', 'Python CPU ms/step', 'TS rounds', 'Python rounds'] },
    ),
  );
  console.log(`\n1-minute load average ${load.start.toFixed(2)} at start, ${load.end.toFixed(2)} at end`);
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
    minSecondsPerRow: minSeconds,
    rounds,
    loadAverage1m: load,
    summary,
    rows: results,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
