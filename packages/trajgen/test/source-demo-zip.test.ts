import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip, crc32, readSourceDemos, readZip, sourceDemosToZip, writeSourceDemos, type SourceDemo } from '../src/index.js';

/** A short demo whose rows differ per step and per demo. */
function demo(id: string, T: number, shift: number): SourceDemo {
  const rows = (k: number) => Float64Array.from({ length: T * 7 }, (_, i) => shift + k + i * 0.001);
  return {
    id,
    task: 'pick-place',
    world: { seed: 3, episode: 2, worldId: 0 },
    randomization: 'narrow',
    recordedBy: 'teleop',
    length: T,
    eefPose: rows(0),
    targetPose: rows(1),
    objectPoses: { cube: rows(2), bin: rows(3) },
    gripperAction: Float64Array.from({ length: T }, (_, t) => (t > 1 ? 1 : -1)),
    signals: { success: Uint8Array.from({ length: T }, (_, t) => Number(t === T - 1)), isGrasped: Uint8Array.from({ length: T }, (_, t) => Number(t > 2)) },
    actions: Float32Array.from({ length: T * 7 }, (_, i) => (i % 7) * 0.25 - 0.5),
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gripgen-demo-zip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('source demos in a zip archive', () => {
  it('CRC-32 is the standard one', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('reads the zip the viewer exports exactly as the directory writeSourceDemos writes', async () => {
    const demos = [demo('a', 5, 0), demo('b', 7, 10)];
    await writeSourceDemos(join(dir, 'folder'), demos);
    const zip = join(dir, 'demos.zip');
    await writeFile(zip, sourceDemosToZip(demos));
    const fromZip = await readSourceDemos(zip);
    const fromFolder = await readSourceDemos(join(dir, 'folder'));
    expect(fromZip).toEqual(fromFolder);
    expect(fromZip.map((d) => d.id)).toEqual(['a', 'b']);
    // The archive's entries are the directory's files, byte for byte.
    const entries = readZip(new Uint8Array(await readFile(zip)), zip);
    expect(entries.map((e) => e.name)).toEqual(['demo_000.json', 'demo_001.json']);
    expect(Buffer.from(entries[1].data).equals(await readFile(join(dir, 'folder', 'demo_001.json')))).toBe(true);
  });

  it('reads deflated entries (an archive re-zipped with zip) and rejects damaged ones', async () => {
    const stored = createZip([{ name: 'x.json', data: new TextEncoder().encode('{"k": 1}') }]);
    const [entry] = readZip(stored, 'stored.zip');
    // Rewrite the one entry as deflated: method 8 and the compressed bytes, same CRC.
    const deflated = deflateRawSync(entry.data);
    const parts = createZip([{ name: 'x.json', data: new Uint8Array(deflated) }]);
    const view = new DataView(parts.buffer);
    view.setUint16(8, 8, true);
    view.setUint32(14, crc32(entry.data), true);
    const central = parts.length - 22 - (46 + 'x.json'.length);
    view.setUint16(central + 10, 8, true);
    view.setUint32(central + 16, crc32(entry.data), true);
    const [back] = readZip(parts, 'deflated.zip', (d) => new Uint8Array(inflateRawSync(d)));
    expect(new TextDecoder().decode(back.data)).toBe('{"k": 1}');
    expect(() => readZip(parts, 'deflated.zip')).toThrow(/compression method 8/);
    const damaged = stored.slice();
    damaged[30 + 'x.json'.length] ^= 0xff;
    expect(() => readZip(damaged, 'damaged.zip')).toThrow(/CRC mismatch/);
    expect(() => readZip(new Uint8Array(40), 'empty.bin')).toThrow(/not a zip archive/);
  });
});

