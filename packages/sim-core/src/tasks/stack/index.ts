import { cubeStackTask } from '../cube-stack/cube-stack-task.js';
import { STACK_RANDOMIZATION } from './params.js';

/**
 * The `stack` task (MimicGen's Stack): pick cube A and set it on cube B. Success: A rests on
 * B's top face, released and at rest.
 */
export const stackTask = cubeStackTask({
  id: 'stack',
  description: 'stack cube A on cube B',
  cubes: ['A', 'B'],
  plan: [{ pick: 'A', onto: 'B' }],
  space: STACK_RANDOMIZATION,
  demoPreset: 'narrow',
  // MimicGen's subtasks: grasp relative to A (ends when both pads pinch it), then place
  // relative to B (to the end). Size-aware frames: A's bottom face, B's top face. The grasp's
  // boundary offsets are 5–10 steps, not MimicGen's 10–20 (made for human demos): the expert
  // lifts A about 10 steps after the pads pinch it and opens 20–25 steps after, so 10–20 put
  // the boundary in the descent onto B or past the release, and the carry ran relative to A.
  datagen: {
    subtasks: [
      { name: 'grasp', object: 'cubeA', endSignal: 'isGraspedA', anchor: [0, 0, -1], termOffsetRange: [5, 10] },
      { name: 'place', object: 'cubeB', endSignal: null, anchor: [0, 0, 1] },
    ],
    objects: ['cubeA', 'cubeB'],
  },
});
