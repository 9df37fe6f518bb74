import { TELEOP_BINDINGS, TELEOP_FINE, type TeleopMotion } from './teleop-bindings.js';

/** What the teleoperator asks of one control step, in units of the full per-step motion. */
export interface TeleopCommand {
  /** −1 … 1 per axis (x, y, z). */
  move: [number, number, number];
  /** −1 … 1 about +z. */
  yaw: number;
  /** Gripper command to switch to (−1 open, +1 close), or undefined to keep the current one. */
  gripper: number | undefined;
  /** Which device gave the command. */
  device: 'keyboard' | 'gamepad' | 'none';
}

/** Stick deflection below which a gamepad axis reads as 0. */
const DEADZONE = 0.15;

/**
 * Keyboard and gamepad state for teleoperation. A key counts for the next step while it is
 * held, and also when it was pressed and released between two steps (a tap moves one step).
 * The standard-mapping gamepad, when one is connected, is read at every step.
 */
export class TeleopInput {
  private readonly held = new Set<string>();
  private readonly tapped = new Set<string>();
  private shift = false;
  private readonly codes = new Map(TELEOP_BINDINGS.map((b) => [b.code, b.motion]));
  private readonly onKeyDown = (e: KeyboardEvent) => {
    this.shift = e.shiftKey;
    if (!this.codes.has(e.code) || isTyping(e)) return;
    e.preventDefault();
    this.held.add(e.code);
    this.tapped.add(e.code);
  };
  private readonly onKeyUp = (e: KeyboardEvent) => {
    this.shift = e.shiftKey;
    this.held.delete(e.code);
  };
  private readonly onBlur = () => {
    this.held.clear();
    this.shift = false;
  };

  constructor(private readonly target: Window = window) {
    target.addEventListener('keydown', this.onKeyDown);
    target.addEventListener('keyup', this.onKeyUp);
    target.addEventListener('blur', this.onBlur);
  }

  /** The command for the coming step; clears taps. */
  sample(): TeleopCommand {
    const command: TeleopCommand = { move: [0, 0, 0], yaw: 0, gripper: undefined, device: 'none' };
    const active = new Set([...this.held, ...this.tapped]);
    this.tapped.clear();
    const scale = this.shift ? TELEOP_FINE : 1;
    for (const code of active) {
      const motion = this.codes.get(code);
      if (!motion) continue;
      apply(command, motion, scale);
      command.device = 'keyboard';
    }
    const pad = firstGamepad();
    if (pad) {
      const axis = (i: number) => {
        const v = pad.axes[i] ?? 0;
        return Math.abs(v) < DEADZONE ? 0 : v;
      };
      const padMove: [number, number, number] = [axis(1), axis(0), -axis(3)];
      const padYaw = -axis(2);
      const close = pad.buttons[7]?.value ?? 0;
      const open = pad.buttons[6]?.value ?? 0;
      if (padMove.some((v) => v !== 0) || padYaw !== 0 || close > 0.5 || open > 0.5) command.device = 'gamepad';
      for (let i = 0; i < 3; i++) command.move[i] += padMove[i];
      command.yaw += padYaw;
      if (close > 0.5) command.gripper = 1;
      else if (open > 0.5) command.gripper = -1;
    }
    for (let i = 0; i < 3; i++) command.move[i] = Math.max(-1, Math.min(1, command.move[i]));
    command.yaw = Math.max(-1, Math.min(1, command.yaw));
    return command;
  }

  /** Whether a standard gamepad is connected. */
  get gamepadConnected(): boolean {
    return firstGamepad() !== undefined;
  }

  /** Stops listening to the keyboard. */
  dispose(): void {
    this.target.removeEventListener('keydown', this.onKeyDown);
    this.target.removeEventListener('keyup', this.onKeyUp);
    this.target.removeEventListener('blur', this.onBlur);
    this.held.clear();
    this.tapped.clear();
  }
}

function apply(command: TeleopCommand, motion: TeleopMotion, scale: number): void {
  if (motion.kind === 'move') command.move[motion.axis] += motion.sign * scale;
  else if (motion.kind === 'yaw') command.yaw += motion.sign * scale;
  else command.gripper = motion.command;
}

function isTyping(e: KeyboardEvent): boolean {
  const target = e.target as HTMLElement | null;
  return !!target?.closest?.('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey;
}

function firstGamepad(): Gamepad | undefined {
  const pads = typeof navigator.getGamepads === 'function' ? navigator.getGamepads() : [];
  for (const pad of pads) if (pad && pad.connected && pad.mapping === 'standard') return pad;
  return undefined;
}
