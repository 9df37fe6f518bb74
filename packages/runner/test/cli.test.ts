import { describe, it, expect } from 'vitest';
import { shellCommand } from '../src/cli/stop-request.js';
import { gripgenProcess, repoRoot } from './cli-process.js';


/** Runs the gripgen CLI in a child process. */
const gripgen = (...args: string[]) => gripgenProcess(args);

/** As {@link gripgen}, with extra environment variables. */
const gripgenWithEnv = (env: Record<string, string>, ...args: string[]) => gripgenProcess(args, { env });

describe('gripgen expert', () => {
  it('prints one JSON object with the run stats', async () => {
    const r = await gripgen('expert', '--worlds', '8', '--threads', '1', '--json', '--seed', '0', '--randomization', 'narrow');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.successRate).toBeGreaterThanOrEqual(0);
    expect(report.successRate).toBeLessThanOrEqual(1);
    expect(report.successes).toBe(Math.round(report.successRate * 8));
    expect(report.numWorlds).toBe(8);
    expect(report.backend).toBe('rapier');
    expect(report.adapter).toBeNull();
    expect(report.threads).toBe(1);
    expect(report.seed).toBe(0);
    expect(report.randomization).toBe('narrow');
    expect(report.steps).toBe(200);
    expect(report.worldStepsPerSecond).toBeGreaterThan(0);
    expect(report.simSecondsPerSecond).toBeCloseTo(report.worldStepsPerSecond / report.physics.controlHz, 6);
    expect(report.wallSeconds).toBeGreaterThan(0);
    expect(report.physics).toMatchObject({ controlHz: 20, substeps: expect.any(Number), solverIterations: expect.any(Number) });
    expect(report.machine).toMatchObject({ cpuModel: expect.any(String), cores: expect.any(Number), node: process.version });
  });

  it('--backend webgpu --json reports the adapter (SwiftShader forced; 2 worlds, 5 steps)', async () => {
    const r = await gripgenWithEnv({ GRIPGEN_ADAPTER: 'swiftshader' }, 'expert', '--backend', 'webgpu', '--worlds', '2', '--steps', '5', '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.backend).toBe('webgpu');
    expect(report.numWorlds).toBe(2);
    expect(report.steps).toBe(5);
    expect(report.threads).toBe(0);
    expect(report.worldStepsPerSecond).toBeGreaterThan(0);
    expect(report.adapter).toEqual({
      vendor: expect.any(String),
      architecture: 'swiftshader',
      device: expect.any(String),
      description: expect.any(String),
      isSoftware: true,
    });
  });

  it('--gpu-program scene --contact-capacity runs the scene solver with that capacity and counts what it drops; bad values exit 2', async () => {
    // Two contacts per world cannot hold a cube resting on the table (four corners): every step drops some.
    const r = await gripgenWithEnv({ GRIPGEN_ADAPTER: 'swiftshader' }, 'expert', '--backend', 'webgpu', '--gpu-program', 'scene', '--contact-capacity', '2', '--worlds', '2', '--steps', '3', '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.contactCapacity).toBe(2);
    expect(report.contactOverflowSteps).toBeGreaterThan(0);
    const bad = await gripgen('expert', '--gpu-program', 'gpu');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--gpu-program must be one of task, scene; got "gpu"');
    expect((await gripgen('expert', '--contact-capacity', '0')).status).toBe(2);
  });

  it('rejects a non-integer --worlds with exit code 2, naming the option', async () => {
    const r = await gripgen('expert', '--worlds', 'abc');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--worlds');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an unknown randomization preset, naming the option', async () => {
    const r = await gripgen('expert', '--worlds', '2', '--randomization', 'foo');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('randomization');
  });

  it('rejects an unknown option', async () => {
    const r = await gripgen('expert', '--wrolds', '8');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--wrolds');
  });

  it('prints createSim errors without a stack trace, exit code 1', async () => {
    const r = await gripgen('expert', '--worlds', '2000000', '--threads', '0');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('numWorlds');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints usage with --help', async () => {
    const r = await gripgen('expert', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: gripgen expert');
    expect(r.stdout).toContain('--randomization');
  });
});

describe('gripgen tasks', () => {
  it('lists every registered task with its presets, subtasks, expert and backends (--json)', async () => {
    const { getTask, taskIds } = await import('@gripgen/sim-core');
    const r = await gripgen('tasks', '--json');
    expect(r.status, r.stderr).toBe(0);
    const listed = JSON.parse(r.stdout) as { id: string; presets: string[]; defaultPreset: string; demoPreset: string; subtasks: string[]; expert: boolean; backends: string[] }[];
    expect(listed.map((t) => t.id)).toEqual(taskIds());
    for (const t of listed) {
      const task = getTask(t.id);
      expect(t.presets).toEqual(Object.keys(task.presets));
      expect(t.presets).toContain(t.defaultPreset);
      expect(t.presets).toContain(t.demoPreset);
      expect(t.subtasks).toEqual(task.datagen?.subtasks.map((s) => s.name) ?? []);
      expect(t.expert).toBe(task.expert !== undefined);
      // Every built-in task runs on webgpu (pick-place on its own kernel, the others on the scene solver).
      expect(t.backends).toContain('webgpu');
    }
  });

  it('a misspelt --task lists the valid ones, exit code 2', async () => {
    const r = await gripgen('expert', '--task', 'pick-plaec');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--task must be one of .*pick-place/);
  });
});

describe('gripgen demos + generate', () => {
  it('records source demos, generates a dataset from them, and reports stats as JSON', async () => {
    const { mkdtempSync, rmSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'gripgen-cli-generate-'));
    try {
      const demos = await gripgen('demos', '--out', join(dir, 'src'), '--count', '4', '--json');
      expect(demos.status, demos.stderr).toBe(0);
      expect(JSON.parse(demos.stdout).count).toBe(4);
      expect(readdirSync(join(dir, 'src')).sort()).toEqual(['demo_000.json', 'demo_001.json', 'demo_002.json', 'demo_003.json']);

      const out = join(dir, 'data');
      const r = await gripgen('generate', '--source', join(dir, 'src'), '--out', out, '--count', '12', '--worlds', '8', '--backend', 'rapier', '--threads', '0', '--randomization', 'narrow', '--json');
      expect(r.status, r.stderr).toBe(0);
      const stats = JSON.parse(r.stdout);
      expect(stats.kept).toBe(12);
      expect(stats.backend).toBe('rapier');
      expect(stats.successes).toBeGreaterThanOrEqual(12);
      expect(stats.successRate).toBeCloseTo(stats.successes / stats.attempts, 9);
      expect(stats.trajectoriesPerHour).toBeGreaterThan(0);
      expect(stats.wallSeconds).toBeGreaterThan(0);
      expect(Object.keys(stats.failuresBySubtask).sort()).toEqual(['grasp', 'place']);

      // The same command again finds the dataset complete and adds nothing.
      const again = await gripgen('generate', '--source', join(dir, 'src'), '--out', out, '--count', '12', '--worlds', '8', '--backend', 'rapier', '--threads', '0', '--randomization', 'narrow', '--json');
      expect(again.status, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ kept: 12, attempts: 0, resumed: true });

      // A manifest edited to list one record fewer than its shard holds (checksums still match):
      // resuming refuses, naming the shard and the mismatch, and leaves every file as it was.
      const { readFileSync, writeFileSync } = await import('node:fs');
      const manifestFile = join(out, 'manifest.json');
      const edited = JSON.parse(readFileSync(manifestFile, 'utf8'));
      const entry = edited.shards[0];
      entry.attempts = entry.attempts.slice(0, -1);
      Object.assign(entry, { episodes: entry.attempts.length, lastAttempt: entry.attempts.at(-1) });
      edited.counts.episodes -= 1;
      writeFileSync(manifestFile, JSON.stringify(edited));
      const shardBytes = readFileSync(join(out, entry.file));
      const damaged = await gripgen('generate', '--source', join(dir, 'src'), '--out', out, '--count', '12', '--worlds', '8', '--backend', 'rapier', '--threads', '0', '--randomization', 'narrow', '--json');
      expect(damaged.status, damaged.stderr).toBe(1);
      expect(damaged.stderr).toContain(`cannot resume ${out}`);
      expect(damaged.stderr).toMatch(/shard-00000\.msgpack: record 11 at byte offset \d+ could not be decoded: \d+ bytes follow the 11 records the manifest lists/);
      expect(readFileSync(manifestFile, 'utf8')).toBe(JSON.stringify(edited));
      expect(readFileSync(join(out, entry.file)).equals(shardBytes)).toBe(true);
      expect(readdirSync(out)).not.toContain('.writer.lock');

      const bad = await gripgen('generate', '--source', join(dir, 'src'), '--out', join(dir, 'bad'), '--config', '{"nnK": -1}', '--backend', 'rapier');
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/invalid field "nnK"/);

      // Bad command lines: exit 2, one line naming the option, the value and what is allowed, nothing written.
      const usage = [
        [['--randomization', 'nosuch'], /--randomization must be one of narrow, wide, .*; got "nosuch"/],
        [['--worlds', '-5'], /--worlds got "-5", which starts with a dash; negative values are not allowed/],
        [['--out', join(dir, 'src', 'demo_000.json')], /--out .*demo_000\.json is a file; give a directory/],
      ] as const;
      for (const [extra, message] of usage) {
        const r = await gripgen('generate', '--source', join(dir, 'src'), '--out', join(dir, 'never'), ...extra);
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toMatch(message);
      }
      expect(readdirSync(dir).includes('never')).toBe(false);

      // Stopping: SIGTERM to the command, then SIGKILL to the shell that launched it (as to npm
      // or npx): each time the command stops by itself, unlocks the dataset and leaves it
      // resumable; the same command then completes it with no duplicates.
      const { spawn, execFileSync } = await import('node:child_process');
      const { existsSync } = await import('node:fs');
      const stopped = join(dir, 'stopped');
      const args = ['packages/runner/src/cli/main.ts', 'generate', '--source', join(dir, 'src'), '--out', stopped, '--count', '120', '--worlds', '4', '--backend', 'rapier', '--threads', '0', '--randomization', 'narrow', '--json'];
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      const waitGone = async (pid: number) => {
        for (let i = 0; i < 100 && alive(pid); i++) await sleep(200);
        return !alive(pid);
      };
      const direct = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      direct.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => direct.on('exit', (code) => resolve(code)));
      const locked = async () => {
        for (let i = 0; i < 300 && !existsSync(join(stopped, '.writer.lock')); i++) await sleep(100);
        await sleep(1500);
      };
      await locked();
      direct.kill('SIGTERM');
      expect(await exited, stderr).toBe(143);
      expect(stderr).toMatch(/interrupted after \d+ attempts of this run; \d+ trajectories are kept in .*Run the same command again to resume/);
      expect(stderr).toContain(`resume with: ${shellCommand(['gripgen', ...args.slice(1)])}\n`);
      expect(existsSync(join(stopped, '.writer.lock'))).toBe(false);

      const shell = spawn('sh', ['-c', `"${process.execPath}" --import tsx ${args.map((a) => `'${a}'`).join(' ')}; true`], { cwd: repoRoot, stdio: 'ignore' });
      await locked();
      const child = Number(execFileSync('pgrep', ['-P', String(shell.pid)], { encoding: 'utf8' }).trim().split('\n')[0]);
      expect(alive(child)).toBe(true);
      shell.kill('SIGKILL');
      expect(await waitGone(child)).toBe(true);
      expect(existsSync(join(stopped, '.writer.lock'))).toBe(false);
      expect(JSON.parse(readFileSync(join(stopped, 'manifest.json'), 'utf8')).complete).toBe(false);

      const resumed = await gripgen(...args.slice(1));
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ kept: 120, resumed: true });
      const { openDataset } = await import('@gripgen/trajgen');
      const attempts = (await (await openDataset(stopped)).toArray()).map((e) => e.attempt);
      expect(attempts).toHaveLength(120);
      expect(new Set(attempts).size).toBe(120);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
