import { cubeColumns, handColumns, type CubeColumns, type CubeLetter, type HandColumns } from './params.js';

/** One placement of a stacking task: pick cube `pick` and set it on cube `onto`. */
export interface StackStep {
  pick: CubeLetter;
  onto: CubeLetter;
}

/** What a cube-stacking task is: its cubes (scene order) and the placements that stack them, in order. */
export interface CubeStackSpec {
  cubes: readonly CubeLetter[];
  plan: readonly StackStep[];
}

/** A stacking task's spec resolved against its parameter table: where everything sits. */
export interface CubeStackLayout {
  spec: CubeStackSpec;
  /** Parameter columns of each cube, in scene order. */
  cubeCols: readonly CubeColumns[];
  hand: HandColumns;
  /** Scene-order index of each placement's picked and supporting cube. */
  steps: readonly { pick: number; onto: number }[];
}

/**
 * Body indices of a stacking scene: the table, the hand and its fingers, then the cubes in the
 * spec's order (cube k is body `firstCube + k`).
 */
export const CUBE_STACK_BODY = { table: 0, hand: 1, fingerLeft: 2, fingerRight: 3, firstCube: 4 } as const;

/** Resolves `spec` against `paramNames`; throws naming a missing parameter or an unknown cube. */
export function cubeStackLayout(spec: CubeStackSpec, paramNames: readonly string[]): CubeStackLayout {
  const index = (letter: CubeLetter) => {
    const k = spec.cubes.indexOf(letter);
    if (k < 0) throw new Error(`the plan names cube ${letter}, which the task does not have (cubes: ${spec.cubes.join(', ')})`);
    return k;
  };
  return {
    spec,
    cubeCols: spec.cubes.map((letter) => cubeColumns(paramNames, letter)),
    hand: handColumns(paramNames),
    steps: spec.plan.map((s) => ({ pick: index(s.pick), onto: index(s.onto) })),
  };
}

/** Index of the contact query between the left (`side` 0) or right (1) finger and cube `k`. */
export function fingerContactQuery(k: number, side: 0 | 1): number {
  return 2 * k + side;
}
