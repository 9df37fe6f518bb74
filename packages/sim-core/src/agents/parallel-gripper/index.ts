/** The floating parallel-jaw gripper agent: geometry, actuation, controller and scene bodies. */
export { PARALLEL_GRIPPER } from './geometry.js';
export { commandedTravel, commandForSqueeze, gripperServoTarget, FINGER_SERVO_MAX_FORCE } from './drive.js';
export { parallelGripperParts } from './bodies.js';
export type { GripperCollision, GripperParts } from './bodies.js';
