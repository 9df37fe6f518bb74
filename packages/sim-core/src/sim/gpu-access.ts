/**
 * Direct access to the GPU buffers of a Sim on the webgpu backend, for modules that fuse their
 * own kernels into the step loop (a policy forward pass on the GPU, for example) and so never
 * move observations or actions through the host.
 */

/**
 * Where things sit in the `outputs` buffer of {@link SimGpuAccess}, in 4-byte words: world `w`'s
 * row starts at `w × strideWords`; its observation is `obsSize` f32 from `obsOffsetWords`, its
 * reward one f32 at `rewardOffsetWords`, its flags one u32 at `flagsOffsetWords` (bits in
 * {@link SimOutputLayout.flagBits}), its episode and step count one u32 each at
 * `episodeOffsetWords` and `stepCountOffsetWords`.
 */
export interface SimOutputLayout {
  readonly strideWords: number;
  readonly obsOffsetWords: number;
  readonly obsSize: number;
  readonly rewardOffsetWords: number;
  readonly episodeOffsetWords: number;
  readonly stepCountOffsetWords: number;
  readonly flagsOffsetWords: number;
  /**
   * Bit index of each flag: `success`, `terminated`, `truncated`, `fault`, sub-signal `k` at
   * `firstSignal + k` (`numSignals` of them, success first), `overflow` (contact capacity), and
   * `actionRejected` (the step's action had a non-finite entry and was dropped).
   */
  readonly flagBits: Readonly<Record<'success' | 'terminated' | 'truncated' | 'fault' | 'firstSignal' | 'overflow' | 'actionRejected', number>>;
  readonly numSignals: number;
}

/**
 * The Sim's workspace check (`StepResult.terminationReason`, which `step()` applies on the host)
 * in the terms of an output row, for kernels that end episodes as `step()` does: an object whose
 * centre leaves the box [min, max] ends the episode (below `min[2]`: `objectBelowTable`, else
 * `objectOutsideWorkspace`; success wins over both; a world that faulted is not checked).
 */
export interface SimWorkspaceLayout {
  /** Object names, in observation order (`TerminationInfo.object`). */
  readonly objects: readonly string[];
  /** Observation indices of each object's x, y and z. */
  readonly positions: ReadonlyArray<readonly [number, number, number]>;
  readonly min: readonly [number, number, number];
  readonly max: readonly [number, number, number];
}

/**
 * The GPU side of a webgpu Sim (`sim.gpuAccess()`). The buffers live as long as the Sim; do not
 * destroy them.
 *
 * - `outputs` holds every world's observation and flags after the last reset or step — on the
 *   GPU, whether or not they were read back. Bind it read-only.
 * - `actions` (`numWorlds × actionSize` f32, world-major; usage STORAGE | COPY_SRC | COPY_DST)
 *   is what the next step reads. Write it from a kernel or with `queue.writeBuffer`.
 * - `holds` (`numWorlds` u32, zero at first; usage STORAGE | COPY_SRC | COPY_DST): a world whose
 *   entry is nonzero when an encoded step runs is held still by it — no physics, its output row
 *   and step count unchanged. A caller that holds worlds owns the entries; the Sim's own
 *   `step()` clears them all before it steps.
 * - {@link encodeStep} encodes one control step of every world not held into the caller's
 *   command encoder, with the actions in `actions` as they are when that work runs. Nothing is uploaded
 *   or read back; the caller submits. The host arrays of `StepResult` keep the values of the
 *   last step that was read back (as with `step(actions, { readback: false })`), and a later
 *   `step`, `reset`, `getState` or `setState` is ordered after every submitted step.
 *
 * Validation: `step()` rejects a non-finite action on the host, naming the world; actions
 * written on the GPU are checked by the step kernel instead. A world whose action has a
 * non-finite entry ignores that action for the step (its controller keeps its target: a hold),
 * steps on, and gets the `actionRejected` bit in its flags; no other world is affected.
 */
export interface SimGpuAccess {
  readonly device: GPUDevice;
  readonly numWorlds: number;
  readonly actionSize: number;
  readonly actions: GPUBuffer;
  /** The current episode's parameters of every world (`paramNames.length` f32 per world, world-major). Bind it read-only. */
  readonly params: GPUBuffer;
  readonly holds: GPUBuffer;
  readonly outputs: GPUBuffer;
  readonly outputLayout: SimOutputLayout;
  /** The task's workspace check; null when the task has none. */
  readonly workspace: SimWorkspaceLayout | null;
  /** Encodes one control step of every world not held (one compute pass) into `encoder`. */
  encodeStep(encoder: GPUCommandEncoder): void;
  /**
   * Adds world-steps whose `overflow` flag a GPU caller read (from steps it encoded) to
   * `sim.contactOverflowSteps`, which counts only the steps read back through the Sim otherwise.
   */
  countContactOverflow(worldSteps: number): void;
}
