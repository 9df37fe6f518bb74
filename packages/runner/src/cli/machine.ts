import { availableParallelism, cpus, totalmem } from 'node:os';

/** The machine a run or benchmark ran on. */
export interface MachineDescription {
  /** CPU model name, as the OS reports it. */
  cpuModel: string;
  /** Logical cores available to this process (`os.availableParallelism()`). */
  cores: number;
  /** Total memory (GiB). */
  memoryGiB: number;
  /** Node.js version, e.g. `v20.19.0`. */
  node: string;
  /** `process.platform`, e.g. `linux`. */
  platform: string;
  /** `process.arch`, e.g. `x64`. */
  arch: string;
}

/** Describes this machine (CPU, cores, memory, Node version, platform). */
export function describeMachine(): MachineDescription {
  const cpu = cpus()[0];
  return {
    cpuModel: cpu?.model.trim() || 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}

/** One line: `Intel Xeon (2 cores, 23.4 GiB), node v20.19.0, linux x64`. */
export function formatMachine(m: MachineDescription): string {
  return `${m.cpuModel} (${m.cores} cores, ${m.memoryGiB} GiB), node ${m.node}, ${m.platform} ${m.arch}`;
}
