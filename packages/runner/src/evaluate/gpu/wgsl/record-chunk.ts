/**
 * WGSL: stores this step's predictions in the chunk history, de-normalized (`y · std + mean`
 * per action dimension): slot `step mod chunk` for ensembling, else slot 0 (the host encodes it
 * only on the steps that query the policy). One invocation per (world, chunk entry, dimension).
 */
export const RECORD_CHUNK_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> cfg: ChunkConfig;
@group(0) @binding(1) var<storage, read> y: array<f32>;             // network output, numWorlds × chunk × actionSize
@group(0) @binding(2) var<storage, read> actionStats: array<f32>;   // mean[actionSize], then std[actionSize]
@group(0) @binding(3) var<storage, read> state: StepState;
@group(0) @binding(4) var<storage, read_write> history_out: array<f32>; // slots × numWorlds × chunk × actionSize

@compute @workgroup_size(WORKGROUP_SIZE)
fn record_chunk(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let t = invocationIndex(gid, groups);
  let slotSize = cfg.numWorlds * cfg.chunk * cfg.actionSize;
  if (t >= slotSize) { return; }
  let d = t % cfg.actionSize;
  let slot = state.step % cfg.slots;
  history_out[slot * slotSize + t] = y[t] * actionStats[cfg.actionSize + d] + actionStats[d];
}
`;
