/**
 * Source demonstrations: the few demos generation multiplies. Written by the scripted-expert
 * recorder (`gripgen demos`) and by the browser viewer's teleoperation, one JSON file per demo
 * (`demo_000.json`, …) in a directory — or the same files in a zip archive (the viewer's export).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { writeFileAtomic } from '../dataset/atomic-file.js';
import type { WorldKey } from '../episode.js';
import { createZip, readZip } from './zip-archive.js';
import { makeDirectory } from '../dataset/fs-error.js';

/** Format tag and version written into every demo file. */
export const SOURCE_DEMO_FORMAT = 'gripgen-source-demo';
export const SOURCE_DEMO_VERSION = 1;

/**
 * One source demo: per control step t (T steps), what MimicGen's datagen info holds.
 * Poses are `[x, y, z, qx, qy, qz, qw]`, 7 numbers per row.
 */
export interface SourceDemo {
  id: string;
  task: string;
  /** Recreates the demo's world. */
  world: WorldKey;
  /** The randomization the world was drawn from (preset name or overrides). */
  randomization: unknown;
  /** `scripted-expert` or `teleop`. */
  recordedBy: string;
  length: number;
  /** T × 7 end-effector pose before step t. */
  eefPose: Float64Array;
  /** T × 7 controller target pose commanded at step t. */
  targetPose: Float64Array;
  /** Per object: T × 7 pose before step t. */
  objectPoses: Record<string, Float64Array>;
  /** T gripper actions (−1 open … +1 close). */
  gripperAction: Float64Array;
  /** Per sub-signal: T flags after step t. */
  signals: Record<string, Uint8Array>;
  /** T × 7 actions as executed (delta mode). */
  actions: Float32Array;
}

const row7 = z.array(z.number()).length(7);
const demoFileSchema = z.object({
  format: z.literal(SOURCE_DEMO_FORMAT),
  version: z.literal(SOURCE_DEMO_VERSION),
  id: z.string().min(1),
  task: z.string().min(1),
  world: z.object({ seed: z.number().int(), episode: z.number().int().nonnegative(), worldId: z.number().int().nonnegative() }),
  randomization: z.unknown(),
  recordedBy: z.string(),
  length: z.number().int().positive(),
  eefPose: z.array(row7),
  targetPose: z.array(row7),
  objectPoses: z.record(z.string(), z.array(row7)),
  gripperAction: z.array(z.number()),
  signals: z.record(z.string(), z.array(z.union([z.literal(0), z.literal(1)]))),
  actions: z.array(row7),
});

const rows = (a: ArrayLike<number>, width: number): number[][] =>
  Array.from({ length: a.length / width }, (_, t) => Array.from({ length: width }, (_, i) => a[t * width + i]));

/** The JSON object of a demo file. */
export function sourceDemoToJson(demo: SourceDemo): unknown {
  return {
    format: SOURCE_DEMO_FORMAT,
    version: SOURCE_DEMO_VERSION,
    id: demo.id,
    task: demo.task,
    world: demo.world,
    randomization: demo.randomization,
    recordedBy: demo.recordedBy,
    length: demo.length,
    eefPose: rows(demo.eefPose, 7),
    targetPose: rows(demo.targetPose, 7),
    objectPoses: Object.fromEntries(Object.entries(demo.objectPoses).map(([k, v]) => [k, rows(v, 7)])),
    gripperAction: Array.from(demo.gripperAction),
    signals: Object.fromEntries(Object.entries(demo.signals).map(([k, v]) => [k, Array.from(v)])),
    actions: rows(demo.actions, 7),
  };
}

/** Parses and checks a demo file's JSON; errors name the file (`source`) and the bad field. */
export function sourceDemoFromJson(json: unknown, source = 'source demo'): SourceDemo {
  const parsed = demoFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: invalid field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  const d = parsed.data;
  const T = d.length;
  const check = (name: string, n: number) => {
    if (n !== T) throw new Error(`${source}: field "${name}" has ${n} rows, expected length = ${T}`);
  };
  check('eefPose', d.eefPose.length);
  check('targetPose', d.targetPose.length);
  check('gripperAction', d.gripperAction.length);
  check('actions', d.actions.length);
  for (const [k, v] of Object.entries(d.objectPoses)) check(`objectPoses.${k}`, v.length);
  for (const [k, v] of Object.entries(d.signals)) check(`signals.${k}`, v.length);
  return {
    id: d.id,
    task: d.task,
    world: d.world,
    randomization: d.randomization,
    recordedBy: d.recordedBy,
    length: T,
    eefPose: Float64Array.from(d.eefPose.flat()),
    targetPose: Float64Array.from(d.targetPose.flat()),
    objectPoses: Object.fromEntries(Object.entries(d.objectPoses).map(([k, v]) => [k, Float64Array.from(v.flat())])),
    gripperAction: Float64Array.from(d.gripperAction),
    signals: Object.fromEntries(Object.entries(d.signals).map(([k, v]) => [k, Uint8Array.from(v)])),
    actions: Float32Array.from(d.actions.flat()),
  };
}

/** Writes demos as `dir/demo_000.json`, … (each file written whole, then renamed into place). */
export async function writeSourceDemos(dir: string, demos: readonly SourceDemo[]): Promise<string[]> {
  await makeDirectory(dir, 'create the demo directory');
  const files: string[] = [];
  for (let i = 0; i < demos.length; i++) {
    const file = join(dir, sourceDemoFileName(i));
    await writeFileAtomic(file, JSON.stringify(sourceDemoToJson(demos[i])));
    files.push(file);
  }
  return files;
}

/** File name of demo `index` in a demo directory or archive: `demo_000.json`, … */
export function sourceDemoFileName(index: number): string {
  return `demo_${String(index).padStart(3, '0')}.json`;
}

/**
 * A zip archive of `demos` as `demo_000.json`, … (uncompressed): unpacked into a directory it
 * is what {@link writeSourceDemos} writes, and {@link readSourceDemos} reads it as it is.
 * Uses no Node built-ins (the browser viewer exports demos with it).
 */
export function sourceDemosToZip(demos: readonly SourceDemo[]): Uint8Array {
  const encoder = new TextEncoder();
  return createZip(demos.map((demo, i) => ({ name: sourceDemoFileName(i), data: encoder.encode(JSON.stringify(sourceDemoToJson(demo))) })));
}

/**
 * Reads every `*.json` demo of a directory, in file-name order — or of a zip archive of such
 * files (a path to a file: the viewer's export), in entry-name order.
 */
export async function readSourceDemos(dir: string): Promise<SourceDemo[]> {
  if (await stat(dir).then((s) => s.isFile(), () => false)) {
    // One demo file: read it as the directory's single demo; anything else must be a zip.
    if (dir.endsWith('.json')) return [await readSourceDemoFile(dir)];
    return readSourceDemoZip(dir);
  }
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const meaning = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new Error(`source demos: cannot read ${dir}: ${meaning} (give a directory of demo_*.json files, one demo .json file, or a zip of them)`);
  }
  if (names.length === 0) throw new Error(`source demos: no *.json demo files in ${dir}`);
  const demos: SourceDemo[] = [];
  for (const name of names) demos.push(await readSourceDemoFile(join(dir, name)));
  return demos;
}

async function readSourceDemoFile(file: string): Promise<SourceDemo> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  return sourceDemoFromJson(json, file);
}

async function readSourceDemoZip(file: string): Promise<SourceDemo[]> {
  const entries = readZip(new Uint8Array(await readFile(file)), file, (data) => inflateRawSync(data))
    .filter((e) => e.name.endsWith('.json'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (entries.length === 0) throw new Error(`source demos: no *.json demo files in ${file}`);
  const decoder = new TextDecoder();
  return entries.map((entry) => {
    const source = `${file}:${entry.name}`;
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(entry.data));
    } catch (error) {
      throw new Error(`${source}: not valid JSON: ${(error as Error).message}`);
    }
    return sourceDemoFromJson(json, source);
  });
}
