/**
 * Linear speed (m/s) and angular speed (rad/s) beyond which a world is considered blown up
 * (both backends reset such a world and flag it in `fault`).
 */
export const FAULT_LIMITS = { maxLinearSpeed: 20, maxAngularSpeed: 500 } as const;
