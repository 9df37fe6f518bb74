/**
 * Workgroup size and the linear invocation index shared by the element-wise
 * kernels that run beside the Sim's (training, evaluation, generation).
 * A dispatch of more than 65,535 workgroups spills into the y dimension (see
 * {@link dispatchLinear}); `invocationIndex` undoes that.
 */

/** Invocations per workgroup of those kernels. */
export const WORKGROUP_SIZE = 64;

/** WGSL: `WORKGROUP_SIZE` and `invocationIndex(global_invocation_id, num_workgroups)`. */
export const INVOCATION_WGSL = /* wgsl */ `
const WORKGROUP_SIZE: u32 = ${WORKGROUP_SIZE}u;

// Linear index of an invocation in a dispatch laid out by dispatchLinear (x first, then y).
fn invocationIndex(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WORKGROUP_SIZE;
}
`;

const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** Dispatches at least `invocations` invocations of a `WORKGROUP_SIZE` kernel (x first, then y). */
export function dispatchLinear(pass: GPUComputePassEncoder, invocations: number): void {
  const groups = Math.max(1, Math.ceil(invocations / WORKGROUP_SIZE));
  const x = Math.min(groups, MAX_WORKGROUPS_PER_DIMENSION);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x));
}
