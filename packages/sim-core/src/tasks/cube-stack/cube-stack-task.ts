import { quatFromYaw } from '../../math/quat.js';
import type { Randomization } from '../../random/randomization.js';
import type { RandomizationSpace } from '../../random/randomization-space.js';
import type { DatagenSpec, Task } from '../task.js';
import { cubeStackEvaluation } from './evaluate.js';
import { CUBE_STACK_OBJECT_WORKSPACE } from './geometry.js';
import { CubeStackExpert } from './expert.js';
import { CUBE_STACK_BODY, cubeStackLayout, type CubeStackSpec } from './layout.js';
import { cubeStackObsNames, observeCubeStack } from './observe.js';
import { separateCubes } from './placement.js';
import { buildCubeStackScene } from './scene.js';

/** Everything that makes one cube-stacking task (`stack`, `stack-three`) what it is. */
export interface CubeStackTaskSpec<Name extends string, Preset extends string> extends CubeStackSpec {
  id: string;
  description: string;
  /** The task's parameters (named as `cube-stack/params.ts` says), presets and bounds. */
  space: RandomizationSpace<Name, Preset>;
  /** The preset source demos are recorded on (MimicGen's D0). */
  demoPreset: NoInfer<Preset>;
  /** MimicGen's subtasks of the task. */
  datagen: DatagenSpec;
}

/**
 * Builds a cube-stacking task from its spec: the scene (table, gripper, cubes), the draw (the
 * randomization space's, then `separateCubes` in the spec's cube order, still pure in
 * (seed, episode, world)), the stacking signals and staged reward, the observation and the
 * scripted expert of its plan.
 */
export function cubeStackTask<Name extends string, Preset extends string>(spec: CubeStackTaskSpec<Name, Preset>): Task<Randomization<Name>> {
  const { space } = spec;
  const layout = cubeStackLayout(spec, space.paramNames);
  const evaluation = cubeStackEvaluation(layout);
  const obsNames = cubeStackObsNames(layout);
  const placed = spec.cubes.map((letter, k) => ({ letter, cols: layout.cubeCols[k] }));
  const numParams = space.paramNames.length;
  return {
    id: spec.id,
    description: spec.description,
    agent: 'parallel-gripper',
    paramNames: space.paramNames,
    presets: space.presets,
    defaultPreset: space.defaultPreset,
    demoPreset: spec.demoPreset,
    resolveRandomization: space.resolveRandomization,
    drawParams(randomization, seed, episode, world, out, offset) {
      space.drawParams(randomization, seed, episode, world, out, offset);
      separateCubes(randomization, placed, seed, episode, world, out, offset);
    },
    buildScene: (params, offset) => buildCubeStackScene(layout, params, offset),
    numBodies: CUBE_STACK_BODY.firstCube + spec.cubes.length,
    initialControllerPose(params, offset, out, o) {
      const hand = layout.hand;
      out[o] = params[offset + hand.x];
      out[o + 1] = params[offset + hand.y];
      out[o + 2] = params[offset + hand.z];
      const q = quatFromYaw([0, 0, 0, 1], params[offset + hand.yaw]);
      for (let i = 0; i < 4; i++) out[o + 3 + i] = q[i];
    },
    signalNames: evaluation.signalNames,
    evaluate: evaluation.evaluate,
    obsNames,
    observe: (view, out, o) => observeCubeStack(layout, view, out, o),
    reward: evaluation.reward,
    objectWorkspace: CUBE_STACK_OBJECT_WORKSPACE,
    expert: (numWorlds, seed) => new CubeStackExpert(layout, obsNames, numParams, numWorlds, seed),
    datagen: {
      ...spec.datagen,
      halfExtents(name, params, offset) {
        const k = spec.cubes.findIndex((letter) => `cube${letter}` === name);
        if (k < 0) throw new Error(`${spec.id} has no object "${name}" (objects: ${spec.cubes.map((l) => `cube${l}`).join(', ')})`);
        const half = params[offset + layout.cubeCols[k].edge] / 2;
        return [half, half, half];
      },
    },
  };
}
