import { cubeStackTask } from '../cube-stack/cube-stack-task.js';
import { STACK_THREE_RANDOMIZATION } from './params.js';

/**
 * The `stack-three` task (MimicGen's StackThree): set cube A on cube B, then cube C on A.
 * Success: A rests on B and C on A, both released, every cube at rest.
 */
export const stackThreeTask = cubeStackTask({
  id: 'stack-three',
  description: 'stack cube A on cube B, then cube C on cube A',
  cubes: ['A', 'B', 'C'],
  plan: [
    { pick: 'A', onto: 'B' },
    { pick: 'C', onto: 'A' },
  ],
  space: STACK_THREE_RANDOMIZATION,
  demoPreset: 'narrow',
  // MimicGen's subtasks: grasp A (relative to A), place it on B (relative to B, ends once A
  // rests on B released), grasp C (relative to C), place it on A (relative to A, to the end).
  // Size-aware frames: the grasped cube's bottom face, the supporting cube's top face.
  // graspA's boundary offsets are 5–10 steps, as stack's grasp (see there); graspC keeps
  // MimicGen's 10–20: with 5–10 its boundary falls before C is lifted above the A-on-B tower,
  // and the bridge towards it swept C into the tower.
  datagen: {
    subtasks: [
      { name: 'graspA', object: 'cubeA', endSignal: 'isGraspedA', anchor: [0, 0, -1], termOffsetRange: [5, 10] },
      { name: 'placeA', object: 'cubeB', endSignal: 'aOnB', anchor: [0, 0, 1] },
      { name: 'graspC', object: 'cubeC', endSignal: 'isGraspedC', anchor: [0, 0, -1] },
      { name: 'placeC', object: 'cubeA', endSignal: null, anchor: [0, 0, 1] },
    ],
    objects: ['cubeA', 'cubeB', 'cubeC'],
  },
});
