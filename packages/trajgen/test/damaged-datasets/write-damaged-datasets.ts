/**
 * Writes the damaged-dataset test vectors: the sound dataset, one damaged copy of it per rule of
 * {@link DAMAGE_RULES}, and `vectors.json`, the index a reader in any language checks itself
 * against (paths in it are relative to the folder). As a script:
 *
 *     npx tsx --conditions=source packages/trajgen/test/damaged-datasets/write-damaged-datasets.ts OUT_DIR
 *     python3 examples/python/check_damaged_datasets.py OUT_DIR
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DatasetManifest } from '../../src/index.js';
import { DAMAGE_RULES } from './damage-rules.js';
import { writeSoundDataset } from './sound-dataset.js';

/** Name of the index inside the vectors folder. */
export const VECTORS_INDEX = 'vectors.json';

/** One damaged copy and how a reader must reject it (absolute paths). */
export interface DamagedDataset {
  name: string;
  rule: string;
  /** The damaged dataset directory. */
  dir: string;
  /** The file the error must name, and a fragment its message must hold. */
  file: string;
  message: string;
  /** The fragment when shard checksums are not verified; null: the copy then reads without error. */
  unverified: string | null;
}

/** What {@link writeDamagedDatasets} wrote. */
export interface DamagedDatasets {
  /** The folder (absolute path). */
  root: string;
  /** The sound dataset every copy was made from. */
  sound: string;
  vectors: DamagedDataset[];
}

/** Writes the vectors into `root` (created; must not hold them yet). */
export async function writeDamagedDatasets(root: string): Promise<DamagedDatasets> {
  const folder = resolve(root);
  const sound = join(folder, 'sound');
  const outside = join(folder, 'outside');
  const manifest = await writeSoundDataset(sound);
  mkdirSync(outside, { recursive: true });
  for (const entry of manifest.shards) copyFileSync(join(sound, entry.file), join(outside, basename(entry.file)));
  const vectors = DAMAGE_RULES.map((rule): DamagedDataset => {
    const dir = join(folder, 'vectors', rule.name);
    cpSync(sound, dir, { recursive: true });
    const fresh = JSON.parse(readFileSync(join(sound, 'manifest.json'), 'utf8')) as DatasetManifest;
    const { file, message, unverified = message } = rule.damage({ dir, outside, manifest: fresh });
    return { name: rule.name, rule: rule.rule, dir, file, message, unverified };
  });
  const index = {
    sound: relative(folder, sound),
    vectors: vectors.map((v) => ({ ...v, dir: relative(folder, v.dir), file: relative(folder, v.file) })),
  };
  writeFileSync(join(folder, VECTORS_INDEX), `${JSON.stringify(index, null, 2)}\n`);
  return { root: folder, sound, vectors };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = process.argv[2];
  if (out === undefined) {
    process.stderr.write('usage: write-damaged-datasets.ts OUT_DIR\n');
    process.exitCode = 2;
  } else {
    const { vectors } = await writeDamagedDatasets(out);
    process.stdout.write(`wrote the sound dataset and ${vectors.length} damaged copies to ${resolve(out)} (index: ${VECTORS_INDEX})\n`);
  }
}
