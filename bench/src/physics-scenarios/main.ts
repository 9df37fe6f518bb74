import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatTable } from '@gripgen/runner';
import { acquireGpu, formatAdapter, type GpuAdapterDescription } from '@gripgen/sim-core';
import { runScenario, SCENARIOS, type ScenarioBackend, type ScenarioReport } from '@gripgen/sim-core/scenarios';
import { finishMachine, formatBenchMachine, startMachine } from '../rounds/machine.js';

const USAGE = `usage: npm run bench:scenarios [-- --worlds N] [--backends rapier,webgpu,webgpu-scene,mujoco] [--only id,id]
Runs every physical scenario on each backend (N randomized worlds each; default 32 on rapier,
4 on webgpu, which runs on SwiftShader without a GPU), prints a table per backend with the
measured values against the formulas, and writes bench/results/physics-scenarios.json.
webgpu runs pick-place's own kernel, webgpu-scene the scene solver that runs every task.`;

/** Worlds per scenario when --worlds is not given: SwiftShader is slow. */
const DEFAULT_WORLDS: Record<string, number> = { rapier: 32, webgpu: 4, 'webgpu-scene': 4, mujoco: 32 };

/** Runs the scenarios and prints/writes the tables. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { worlds: { type: 'string' }, backends: { type: 'string', default: 'rapier,webgpu' }, only: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const backends = values.backends.split(',');
  const only = values.only?.split(',');
  const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.id));
  const machine = startMachine();
  console.error(`physics scenarios on ${formatBenchMachine(machine)}`);
  const adapter = backends.some((b) => b.startsWith('webgpu')) ? await webgpuAdapter() : null;
  const reports: (ScenarioReport & { seconds: number; numWorlds: number })[] = [];
  for (const backend of backends) {
    const numWorlds = values.worlds ? Number(values.worlds) : DEFAULT_WORLDS[backend] ?? 8;
    for (const scenario of scenarios) {
      const start = performance.now();
      const scene = backend === 'webgpu-scene';
      const run = await runScenario(scenario, { backend: (scene ? 'webgpu' : backend) as ScenarioBackend, numWorlds, threads: 0, ...(scene && { gpuProgram: 'scene' as const }) });
      const report = { ...run, backend };
      const seconds = (performance.now() - start) / 1000;
      reports.push({ ...report, seconds, numWorlds });
      console.error(`  ${backend} ${scenario.id}: ${(report.passRate * 100).toFixed(0)} % of ${numWorlds} worlds pass (${seconds.toFixed(1)} s)`);
    }
  }
  for (const backend of backends) {
    const rows = reports.filter((r) => r.backend === backend || (backend === 'auto' && r));
    if (rows.length === 0) continue;
    console.log(`\n${backend}: ${rows[0]!.numWorlds} randomized worlds per scenario\n`);
    console.log(
      formatTable(
        rows.map((r) => [r.id, r.pass ? 'pass' : 'FAIL', `${(r.passRate * 100).toFixed(0)} %`, failures(r), measuredRange(r)]),
        { header: ['scenario', 'verdict', 'worlds ok', 'failed checks', 'measured (min … max over worlds) vs expected'], align: ['left', 'left', 'right', 'left', 'left'] },
      ),
    );
  }
  finishMachine(machine);
  console.log(`\n${formatBenchMachine(machine)}${adapter ? `; webgpu adapter ${formatAdapter(adapter)}` : ''}`);
  console.log('\nexpected values:');
  for (const s of scenarios) console.log(`  ${s.id}: ${s.expectation}`);
  const dir = new URL('../../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL('physics-scenarios.json', dir);
  await writeFile(file, `${JSON.stringify({ benchmark: 'physics-scenarios', date: new Date().toISOString(), machine, adapter, reports }, null, 2)}\n`);
  console.log(`\nwrote ${file.pathname}`);
}

/** The adapter the webgpu Sims get (`acquireGpu` picks it as `createSim` does). */
async function webgpuAdapter(): Promise<GpuAdapterDescription> {
  const gpu = await acquireGpu({ label: 'bench:scenarios' });
  gpu.release();
  return gpu.adapterInfo;
}

function failures(r: ScenarioReport): string {
  const counts = new Map<string, number>();
  for (const w of r.worlds) if (w.failure) counts.set(w.failure, (counts.get(w.failure) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} ×${count}`).join('; ');
}

function measuredRange(r: ScenarioReport): string {
  const names = Object.keys(r.worlds[0]?.measured ?? {});
  return names
    .map((name) => {
      const values = r.worlds.map((w) => w.measured[name]!);
      const expected = r.worlds[0]!.expected[name];
      const lo = Math.min(...values), hi = Math.max(...values);
      const e = expected === undefined ? '' : ` (exp ${fmt(expected)}${r.worlds.some((w) => w.expected[name] !== expected) ? '…' : ''})`;
      return `${name} ${fmt(lo)} … ${fmt(hi)}${e}`;
    })
    .join('; ');
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}
