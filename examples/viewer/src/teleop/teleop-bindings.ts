/**
 * The teleoperation key bindings: what each key does to the gripper's target, in world axes.
 * The default focus camera looks from +x toward the robot's base, so W moves the gripper away
 * from the viewer (−x), A/D left/right (∓y), E/Q up/down.
 */

/** One motion a teleoperator commands: a unit direction per action entry, or a gripper command. */
export type TeleopMotion =
  | { kind: 'move'; axis: 0 | 1 | 2; sign: 1 | -1 }
  | { kind: 'yaw'; sign: 1 | -1 }
  | { kind: 'gripper'; command: 1 | -1 };

/** A key (`KeyboardEvent.code`), the letter shown for it, and what it does. */
export interface TeleopBinding {
  code: string;
  key: string;
  does: string;
  motion: TeleopMotion;
}

/** The keys of teleoperation (physical positions: the letters of a QWERTY keyboard). */
export const TELEOP_BINDINGS: readonly TeleopBinding[] = [
  { code: 'KeyW', key: 'W', does: 'away (−x)', motion: { kind: 'move', axis: 0, sign: -1 } },
  { code: 'KeyS', key: 'S', does: 'toward you (+x)', motion: { kind: 'move', axis: 0, sign: 1 } },
  { code: 'KeyA', key: 'A', does: 'left (−y)', motion: { kind: 'move', axis: 1, sign: -1 } },
  { code: 'KeyD', key: 'D', does: 'right (+y)', motion: { kind: 'move', axis: 1, sign: 1 } },
  { code: 'KeyE', key: 'E', does: 'up (+z)', motion: { kind: 'move', axis: 2, sign: 1 } },
  { code: 'KeyQ', key: 'Q', does: 'down (−z)', motion: { kind: 'move', axis: 2, sign: -1 } },
  { code: 'KeyZ', key: 'Z', does: 'yaw left (+rz)', motion: { kind: 'yaw', sign: 1 } },
  { code: 'KeyX', key: 'X', does: 'yaw right (−rz)', motion: { kind: 'yaw', sign: -1 } },
  { code: 'KeyC', key: 'C', does: 'close gripper', motion: { kind: 'gripper', command: 1 } },
  { code: 'KeyO', key: 'O', does: 'open', motion: { kind: 'gripper', command: -1 } },
];

/** Keys of the recorder (handled by the page while teleoperating). */
export const RECORDER_KEYS = {
  /** New episode, recording the focused world from its first step. */
  record: 'KeyN',
  /** Keep the recorded demo. */
  keep: 'KeyK',
  /** Throw the recorded demo away. */
  discard: 'Backspace',
} as const;

/** Gamepad layout (the standard mapping), for the help text. */
export const GAMEPAD_HELP: readonly [string, string][] = [
  ['left stick', 'move in x / y'],
  ['right stick ↕', 'up / down'],
  ['right stick ↔', 'yaw'],
  ['RT / LT', 'close / open'],
];

/** Per-step motion at full deflection (a held key): 1 cm and 0.1 rad per control step (0.2 m/s, 2 rad/s). */
export const TELEOP_STEP = { position: 0.01, rotation: 0.1 } as const;

/** Multiple of the step while Shift is held (fine positioning). */
export const TELEOP_FINE = 0.3;
