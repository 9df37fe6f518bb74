import { mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { summarize, variantOrder, type Measurement } from '../src/gripper-throughput/main.js';
import type { GripperSample } from '../src/gripper-throughput/measure.js';
import { linkNodeModules } from '../src/trees/source-trees.js';
import { toRounds } from '../src/rounds/repeat.js';

describe('gripper benchmark: order and summary', () => {
  it('alternates old and new from row to row and round to round, the other variants after them', () => {
    const all = ['old', 'new', 'scalar', 'mujoco'] as const;
    expect(variantOrder(all, 0, 0)).toEqual(['old', 'new', 'scalar', 'mujoco']);
    expect(variantOrder(all, 1, 0)).toEqual(['new', 'old', 'scalar', 'mujoco']);
    expect(variantOrder(all, 0, 1)).toEqual(['new', 'old', 'scalar', 'mujoco']);
    expect(variantOrder(['old', 'new'], 3, 0)).toEqual(['new', 'old']);
  });

  it('takes the median and min–max of every process\'s rounds and divides by the old row of the same workload and threads', () => {
    // Each process measured two rounds of 1 s: rate - 50 and rate + 50 world-steps/s.
    const sample = (rate: number) =>
      ({
        numWorlds: 1024,
        rounds: toRounds([{ seconds: 1, work: rate - 50 }, { seconds: 1, work: rate + 50 }]),
        worldStepsPerSecond: rate,
        simSecondsPerSecond: rate / 20,
        msPerStep: 1,
        cpuPerWall: 1,
        otherCpuPerWall: 0,
        graspedFraction: 0.5,
        episodesEnded: 10,
        episodesSucceeded: 9,
        faults: 0,
        threadsUsed: 1,
        physics: { controlHz: 20, substeps: 2 },
        mujoco: null,
      }) as unknown as GripperSample;
    const m = (variant: Measurement['variant'], threads: number, round: number, rate: number): Measurement => ({
      variant,
      workload: 'expert',
      threads,
      round,
      sample: sample(rate),
    });
    const rows = summarize([
      m('new', 1, 0, 900), m('old', 1, 0, 1000), m('new', 1, 1, 700), m('old', 1, 1, 1000), m('new', 1, 2, 800), m('old', 1, 2, 1000),
      m('old', 2, 0, 2000), { variant: 'new', workload: 'expert', threads: 2, round: 0, error: 'exit 1' },
    ]);
    expect(rows.map((r) => `${r.variant}${r.threads}`)).toEqual(['old1', 'new1', 'old2', 'new2']);
    const new1 = rows[1]!;
    expect(new1.worldStepsPerSecond).toBe(800);
    expect(new1.rate).toEqual({ median: 800, min: 650, max: 950 });
    expect(new1.rounds).toBe(6);
    expect(new1.simSecondsPerSecond).toBe(40);
    expect(new1.vsOld).toBeCloseTo(0.8);
    expect(new1.physicsHz).toBe(40);
    expect(new1.episodesEnded).toBe(30);
    expect(rows[3]!.samples).toBe(0);
    expect(rows[3]!.errors).toEqual(['exit 1']);
  });
});

describe('gripper benchmark: a tree\'s node_modules', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('links workspace packages to the tree\'s own copies, overrides to their directories, the rest to the main checkout', () => {
    dir = mkdtempSync(join(tmpdir(), 'gripper-links-'));
    const main = join(dir, 'main');
    const tree = join(dir, 'tree');
    for (const p of ['packages/sim-core', 'packages/runner', 'node_modules/@gripgen', 'node_modules/@dimforge/rapier3d-simd-compat', 'node_modules/zod']) {
      mkdirSync(join(main, p), { recursive: true });
    }
    symlinkSync('../../packages/sim-core', join(main, 'node_modules/@gripgen/sim-core'));
    symlinkSync('../../packages/runner', join(main, 'node_modules/@gripgen/runner'));
    mkdirSync(join(tree, 'packages/sim-core'), { recursive: true }); // the tree has no runner
    const scalar = join(dir, 'scalar');
    mkdirSync(scalar);

    // An override in place of a package the main checkout has, and one it lacks (a baseline's pin).
    linkNodeModules(tree, main, new Map([['@dimforge/rapier3d-simd-compat', scalar], ['@dimforge/rapier3d-compat', scalar]]));
    const real = (p: string) => realpathSync(join(tree, 'node_modules', p));
    expect(real('@gripgen/sim-core')).toBe(realpathSync(join(tree, 'packages/sim-core')));
    expect(existsSync(join(tree, 'node_modules/@gripgen/runner'))).toBe(false);
    expect(real('@dimforge/rapier3d-simd-compat')).toBe(realpathSync(scalar));
    expect(real('@dimforge/rapier3d-compat')).toBe(realpathSync(scalar));
    expect(readlinkSync(join(tree, 'node_modules/zod'))).toBe(join(main, 'node_modules/zod'));

    // Made again over its own links; refuses a node_modules it did not make.
    linkNodeModules(tree, main);
    expect(real('@dimforge/rapier3d-simd-compat')).toBe(realpathSync(join(main, 'node_modules/@dimforge/rapier3d-simd-compat')));
    expect(existsSync(join(tree, 'node_modules/@dimforge/rapier3d-compat'))).toBe(false);
    const other = join(dir, 'other');
    mkdirSync(join(other, 'node_modules'), { recursive: true });
    writeFileSync(join(other, 'node_modules', 'x'), '');
    expect(() => linkNodeModules(other, main)).toThrow(/not made by a gripgen benchmark/);
  });
});
