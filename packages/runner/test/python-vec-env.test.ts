/**
 * The Python package (python/gripgen) against the TS API: make_vec_env steps 64 worlds for 300
 * steps with random actions, follows Gymnasium's next-step autoreset rule, repeats seeded runs
 * exactly, cleans up its Node process (on close and when Python is killed), and returns the
 * observations the TS `createVectorEnv` returns for the same seed and actions; the dataset loader
 * reads what the TS reader reads, with the TS trainer's normalisation statistics.
 * The checks on the Python side: python/tests/check_vec_env.py.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVectorEnv, getTask } from '@gripgen/sim-core';
import { generateDataset, openDataset, recordExpertDemos } from '@gripgen/trajgen';
import { computeDimensionStats } from '../src/index.js';
import { loadOnnxPolicy } from '../src/policy/onnx-policy-node.js';
import { repoRoot } from './cli-process.js';
import { findPython, runPython } from './python-interpreter.js';

const SCRIPT = join(repoRoot, 'python', 'tests', 'check_vec_env.py');
const env = { PYTHONPATH: join(repoRoot, 'python') };

async function floats(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe('python/gripgen', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gripgen-python-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  let dataset: Promise<string> | undefined;
  /** A small pick-place dataset (3 trajectories from 2 expert demos), made once. */
  const smallDataset = () =>
    (dataset ??= (async () => {
      const demos = await recordExpertDemos({ task: 'pick-place', count: 2, randomization: 'narrow', seed: 0, threads: 0 });
      const out = join(dir, 'dataset');
      await generateDataset({ demos, out, config: { numTrials: 3, guarantee: true, keepFailed: false }, worlds: 4, backend: 'rapier', threads: 0, randomization: 'narrow', seed: 1 });
      return out;
    })());

  it('make_vec_env: 64 worlds x 300 random steps, next-step autoreset, seeded runs, clean exit; the same observations as the TS env', async () => {
    const python = await findPython(['numpy']);
    const run = await runPython(python, [SCRIPT, 'vec-env', dir], { env, cwd: repoRoot });
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ numEnvs: 64, steps: 300, closedProcessesGone: true, killedParentProcessGone: true });
    // The episodes of 40 steps end and reset several times within 300 steps.
    expect(summary.truncations).toBeGreaterThanOrEqual(64 * 5);
    expect(summary.autoresets).toBeGreaterThanOrEqual(summary.truncations);
    expect(summary.badPresetMessage).toMatch(/randomization: unknown preset "medium"; presets: narrow, wide/);

    // The TS env, same config, seed and actions: every array equal, bit for bit.
    const { numEnvs, steps, obsSize, seed, maxEpisodeSteps } = summary as Record<string, number>;
    const actions = await floats(join(dir, 'actions.f32'));
    const obs = await floats(join(dir, 'obs.f32'));
    const rewards = await floats(join(dir, 'rewards.f32'));
    const flags = Object.fromEntries(
      await Promise.all(['terminations', 'truncations', 'end_reason', 'autoreset'].map(async (k) => [k, new Uint8Array(await readFile(join(dir, `${k}.u8`)))])),
    );
    expect(obs.length).toBe((steps + 1) * numEnvs * obsSize);
    const ts = await createVectorEnv({ task: 'pick-place', numWorlds: numEnvs, backend: 'rapier', seed, randomization: 'wide', maxEpisodeSteps });
    try {
      const first = await ts.reset({ seed });
      expect(Array.from(first.obs)).toEqual(Array.from(obs.subarray(0, numEnvs * obsSize)));
      for (let t = 0; t < steps; t++) {
        const r = await ts.step(actions.subarray(t * numEnvs * 7, (t + 1) * numEnvs * 7));
        const rows = obs.subarray((t + 1) * numEnvs * obsSize, (t + 2) * numEnvs * obsSize);
        if (Buffer.compare(Buffer.from(r.obs.buffer), Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength)) !== 0) {
          expect(Array.from(r.obs), `observations of step ${t}`).toEqual(Array.from(rows));
        }
        expect(Array.from(r.rewards), `rewards of step ${t}`).toEqual(Array.from(rewards.subarray(t * numEnvs, (t + 1) * numEnvs)));
        const at = (k: string) => Array.from(flags[k].subarray(t * numEnvs, (t + 1) * numEnvs));
        expect([Array.from(r.terminations), Array.from(r.truncations), Array.from(r.infos.endReason), Array.from(r.infos.autoreset)], `flags of step ${t}`).toEqual([
          at('terminations'),
          at('truncations'),
          at('end_reason'),
          at('autoreset'),
        ]);
      }
    } finally {
      await ts.close();
    }
  });

  it('pip install --no-build-isolation -e python: importable from another directory, running this checkout', async (context) => {
    // setuptools before 70.1 builds the editable wheel with the `wheel` package (Debian: python3-wheel, with python3-pip).
    let python: string;
    try {
      python = await findPython(['numpy', 'setuptools', 'wheel', 'ensurepip']);
    } catch (e) {
      context.skip(`no interpreter here can build the package: ${(e as Error).message}`);
      return;
    }
    const venv = join(dir, 'venv');
    // --system-site-packages: numpy (and setuptools) from the interpreter; --no-index: nothing is downloaded.
    const made = await runPython(python, ['-m', 'venv', '--system-site-packages', venv]);
    if (made.status !== 0) {
      context.skip(`${python} -m venv is unavailable here (Debian: python3-venv): ${made.stderr.trim().split('\n').pop()}`);
      return;
    }
    const venvPython = join(venv, 'bin', 'python');
    const install = await runPython(venvPython, ['-m', 'pip', 'install', '--no-build-isolation', '--no-index', '-e', 'python'], { cwd: repoRoot });
    expect(install.status, install.stderr).toBe(0);
    const probe = await runPython(venvPython, ['-c', 'import gripgen, gripgen.node_process as p; print(gripgen.__file__); print(p.repo_root())'], { cwd: dir });
    expect(probe.status, probe.stderr).toBe(0);
    expect(probe.stdout.trim().split('\n')).toEqual([join(repoRoot, 'python', 'gripgen', '__init__.py'), repoRoot.replace(/\/$/, '')]);
  });

  it('load_dataset: the steps the TS reader reads, normalised with the TS trainer statistics', async () => {
    const python = await findPython(['numpy', 'msgpack']);
    const out = await smallDataset();
    const run = await runPython(python, [SCRIPT, 'dataset', out, dir], { env, cwd: repoRoot });
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    const episodes = (await (await openDataset(out)).toArray()).filter((e) => e.success);
    expect(summary.episodes).toBe(episodes.length);
    const concat = (part: 'obs' | 'actions') => {
      const all = new Float32Array(episodes.reduce((n, e) => n + e[part].length, 0));
      let at = 0;
      for (const e of episodes) {
        all.set(e[part], at);
        at += e[part].length;
      }
      return all;
    };
    expect(Array.from(await floats(join(dir, 'dataset-obs.f32')))).toEqual(Array.from(concat('obs')));
    expect(Array.from(await floats(join(dir, 'dataset-actions.f32')))).toEqual(Array.from(concat('actions')));
    const obsStats = computeDimensionStats(episodes.map((e) => e.obs), 21);
    const actionStats = computeDimensionStats(episodes.map((e) => e.actions), 7);
    const close = (a: number[], b: Float32Array) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
    close(summary.obsMean, obsStats.mean);
    close(summary.obsStd, obsStats.std);
    close(summary.actionMean, actionStats.mean);
    close(summary.actionStd, actionStats.std);
  });
  it('PyTorch: TorchDataset yields the normalised steps; examples/python/train_torch_onnx.py trains, exports ONNX with gripgen metadata, and gripgen eval runs it', async () => {
    // Debian's python3-torch and python3-onnx, which scripts/setup.sh installs.
    const python = await findPython(['numpy', 'msgpack', 'torch', 'onnx']);
    const out = await smallDataset();
    const checked = await runPython(python, [SCRIPT, 'dataset', out, dir], { env, cwd: repoRoot });
    expect(checked.status, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout).torch).toBe(true);

    const model = join(dir, 'torch-policy.onnx');
    const example = join(repoRoot, 'examples', 'python', 'train_torch_onnx.py');
    const run = await runPython(python, [example, out, '--out', model, '--hidden', '32,32', '--steps', '100', '--worlds', '4'], { env, cwd: repoRoot, timeoutMs: 280_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('step 100/100');
    // gripgen eval's report of the exported model on 4 held-out worlds.
    expect(run.stdout).toMatch(/policy\s+\S+torch-policy\.onnx\s+\(ONNX/);
    expect(run.stdout).toMatch(/success\s+\d+(\.\d+)? %\s+\(\d \/ 4; Wilson 95 % CI/);
    // The metadata the example writes with the onnx package: the dataset's names, the gripper snapped.
    const task = getTask('pick-place');
    const policy = await loadOnnxPolicy(model, { obsNames: task.obsNames, actionSize: 7 });
    expect(policy.obsNames).toEqual(task.obsNames);
    expect(policy.binaryActions.map((b) => [b.index, b.low, b.high])).toEqual([[6, -1, 1]]);
    expect(policy.spec).toEqual({ obsSize: task.obsNames.length, actionSize: 7, chunk: 1 });
  });
});
