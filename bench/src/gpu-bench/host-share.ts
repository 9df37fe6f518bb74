/** Host CPU time of this process against wall time, around a piece of work. */

/** What `withHostShare` measured. */
export interface HostTime {
  wallSeconds: number;
  /** User + system CPU seconds of this process (every thread: Dawn's and SwiftShader's included). */
  hostCpuSeconds: number;
  /** hostCpuSeconds ÷ wallSeconds (above 1 when several threads ran). */
  hostShare: number;
}

/** Runs `work`, returning its value with the wall and host CPU time it took. */
export async function withHostShare<T>(work: () => Promise<T>): Promise<{ value: T; time: HostTime }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const wallSeconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  const hostCpuSeconds = (used.user + used.system) / 1e6;
  return { value, time: { wallSeconds, hostCpuSeconds, hostShare: hostCpuSeconds / wallSeconds } };
}
