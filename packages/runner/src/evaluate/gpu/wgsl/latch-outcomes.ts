/**
 * WGSL: after the Sim's step, ORs each world's output flags into its latch (success and
 * sub-signals "set at some step", rejected actions) and counts its faults and its contact
 * overflows (steps that found more contacts than the solver keeps); invocation 0 then
 * advances the evaluation's step counter (last kernel of a step). One invocation per world.
 */
export const LATCH_OUTCOMES_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> cfg: LatchConfig;
@group(0) @binding(1) var<storage, read> outputs: array<u32>;          // the Sim's output rows
@group(0) @binding(2) var<storage, read_write> latch_out: array<u32>;  // per world: OR of flags, fault count, overflow count
@group(0) @binding(3) var<storage, read_write> state_out: StepState;

@compute @workgroup_size(WORKGROUP_SIZE)
fn latch_outcomes(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let world = invocationIndex(gid, groups);
  // No other invocation of this dispatch reads the counter.
  if (world == 0u) { state_out.step += 1u; }
  if (world >= cfg.numWorlds) { return; }
  let flags = outputs[world * cfg.outputStride + cfg.flagsOffset];
  latch_out[3u * world] |= flags;
  latch_out[3u * world + 1u] += (flags >> cfg.faultBit) & 1u;
  latch_out[3u * world + 2u] += (flags >> cfg.overflowBit) & 1u;
}
`;
