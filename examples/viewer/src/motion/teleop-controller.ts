import type { Sim, StepResult } from '@gripgen/sim-core';
import { TELEOP_STEP } from '../teleop/teleop-bindings.js';
import { TeleopInput, type TeleopCommand } from '../teleop/teleop-input.js';
import type { Controller } from './controller.js';

/** Control steps of a teleoperated episode (5 minutes at 20 Hz): the user, not a clock, ends it. */
export const TELEOP_EPISODE_STEPS = 6000;

/**
 * A person at the keyboard (or a gamepad) drives one world with the Sim's delta actions: each
 * step moves the gripper's target by at most {@link TELEOP_STEP} per axis and turns it about z;
 * the gripper command stays where the last close/open put it. Every other world holds still
 * with its gripper open. The viewer runs teleoperation on a single world.
 */
export class TeleopController implements Controller {
  readonly episodeSteps = TELEOP_EPISODE_STEPS;
  /** Episodes do not restart on success: the teleoperator decides. */
  readonly restartOnSuccess = false;
  private gripper = -1;
  private lastDevice: TeleopCommand['device'] = 'none';

  constructor(
    readonly input: TeleopInput,
    /** The world the teleoperator drives (the focused one). */
    private readonly drivenWorld: () => number = () => 0,
  ) {}

  get label(): string {
    return this.input.gamepadConnected ? 'teleop (keyboard, gamepad)' : 'teleop (keyboard)';
  }

  /** The gripper command held now (−1 open, +1 closed). */
  get gripperCommand(): number {
    return this.gripper;
  }

  beginEpisode(): void {
    this.gripper = -1;
  }

  act(sim: Sim, _result: StepResult, actions: Float32Array): void {
    const size = sim.spec.actionSize;
    actions.fill(0);
    for (let w = 0; w < sim.spec.numWorlds; w++) actions[w * size + size - 1] = -1;
    const command = this.input.sample();
    if (command.gripper !== undefined) this.gripper = command.gripper;
    if (command.device !== 'none') this.lastDevice = command.device;
    const w = Math.min(sim.spec.numWorlds - 1, this.drivenWorld());
    const a = w * size;
    for (let i = 0; i < 3; i++) actions[a + i] = command.move[i] * TELEOP_STEP.position;
    actions[a + 5] = command.yaw * TELEOP_STEP.rotation;
    actions[a + size - 1] = this.gripper;
  }

  describeWorld(world: number): Record<string, string> {
    if (world !== this.drivenWorld()) return { teleop: 'idle (another world is driven)' };
    return {
      teleop: `${this.lastDevice === 'none' ? 'keyboard' : this.lastDevice} · ${TELEOP_STEP.position * 100} cm/step · gripper ${this.gripper > 0 ? 'closed' : 'open'}`,
    };
  }
}
