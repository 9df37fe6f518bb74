/**
 * @gripgen/runner — running policies and experts over batches of worlds, and the
 * `gripgen` CLI's reusable pieces (machine description, table formatting).
 */
export { runExpertEpisode, expertTaskIds } from './expert-run.js';
export type { ExpertRunOptions, ExpertRunStats } from './expert-run.js';
export { describeMachine, formatMachine } from './cli/machine.js';
export type { MachineDescription } from './cli/machine.js';
export { formatTable, formatKeyValue, formatNumber } from './cli/table.js';
export type { Align, TableOptions } from './cli/table.js';
