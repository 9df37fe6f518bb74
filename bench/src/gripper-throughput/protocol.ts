/**
 * What the gripper benchmark's parent and child processes share (copied into the other
 * trees with the child: `node:` imports only).
 */
import { readFileSync } from 'node:fs';

/** Prefix of the line on which a child process of the gripper benchmark prints its result. */
export const SAMPLE_PREFIX = 'GRIPPER_SAMPLE ';

/** Busy CPU seconds of the whole machine so far (all cores), from /proc/stat; NaN where it is missing. */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + (f[7] ?? 0);
    return busy / 100; // USER_HZ
  } catch {
    return NaN;
  }
}
