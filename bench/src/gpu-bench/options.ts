/** The command line of `bench:gpu`: world counts, round policy, time budget, --quick. */
import { parseArgs } from 'node:util';
import { ROUND_OPTIONS, roundPolicy, roundUsage } from '../rounds/options.js';
import type { RoundPolicy } from '../rounds/repeat.js';

export interface GpuBenchOptions {
  quick: boolean;
  worlds: number[];
  policy: RoundPolicy;
  /** No row starts unless it is expected to end within this many seconds of the start. */
  budgetSeconds: number;
  help: boolean;
}

const FULL = { worlds: [1024, 8192, 65536, 262144], policy: { minSeconds: 3, minRounds: 3 }, budgetSeconds: 240 };
const QUICK = { worlds: [256, 1024], policy: { minSeconds: 1, minRounds: 3 }, budgetSeconds: 240 };

export const USAGE = `Usage: npm run bench:gpu [-- --quick] [--worlds <list>] [--budget-seconds S] [--min-seconds S] [--min-rounds N]

On the webgpu backend (pick-place, wide), for each world count: kernel-only world-steps/s
(timestamp queries), sim.step() world-steps/s (random actions), generation successful
trajectories/h, the wall time of a tiny curve, and the host share of each. Run on a GPU with
GRIPGEN_ADAPTER=gpu. Writes bench/results/gpu-bench[-quick].json.
  --worlds <list>       world counts, comma-separated (default ${FULL.worlds.join(',')}; --quick ${QUICK.worlds.join(',')})
  --budget-seconds S    start no row expected to end after S seconds; skipped rows are named (default ${FULL.budgetSeconds}; --quick ${QUICK.budgetSeconds})
${roundUsage(FULL.policy)}; --quick: ${QUICK.policy.minSeconds} s
See bench/README.md.`;

/** Whole numbers ≥ 1, comma-separated. */
export function parseWorlds(list: string): number[] {
  const worlds = list.split(',').map((s) => Number(s.trim()));
  if (worlds.length === 0 || worlds.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`--worlds must be whole numbers ≥ 1, comma-separated, got "${list}"`);
  }
  return worlds;
}

export function parseGpuBenchArgs(argv: string[]): GpuBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      worlds: { type: 'string' },
      'budget-seconds': { type: 'string' },
      ...ROUND_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const defaults = values.quick ? QUICK : FULL;
  const budget = values['budget-seconds'];
  const budgetSeconds = budget === undefined ? defaults.budgetSeconds : Number(budget);
  if (!(budgetSeconds > 0)) throw new Error(`--budget-seconds must be a number of seconds > 0, got ${budget}`);
  return {
    quick: values.quick,
    worlds: values.worlds === undefined ? defaults.worlds : parseWorlds(values.worlds),
    policy: roundPolicy(values['min-seconds'], values['min-rounds'], defaults.policy),
    budgetSeconds,
    help: values.help,
  };
}
