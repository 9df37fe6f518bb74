/**
 * The quantity a curve sweeps, in words: training trajectories N (`gripgen curve`) or distinct
 * scenes D at a fixed N (`gripgen coverage --diversity`). Charts, reports and the CLI name the
 * x axis, the formulas and the per-point labels from here.
 */
import type { CurveVariable } from './curve-types.js';

/** The variable of `gripgen curve`: training trajectories N. */
export const TRAJECTORIES: CurveVariable = { kind: 'trajectories' };

/** `N` for trajectories, `D` for scenes. */
export function variableSymbol(variable: CurveVariable = TRAJECTORIES): 'N' | 'D' {
  return variable.kind === 'scenes' ? 'D' : 'N';
}

/** The x-axis title: `training trajectories N (log scale)`, `distinct scenes D (log scale; N = 1,000 each)`. */
export function variableAxisLabel(variable: CurveVariable = TRAJECTORIES): string {
  return variable.kind === 'scenes'
    ? `distinct scenes D (log scale; N = ${variable.trajectories.toLocaleString('en-US')} trajectories each)`
    : 'training trajectories N (log scale)';
}

/** A formula written in N (`s = a + b·log10 N`) in the variable's symbol. */
export function formulaIn(formula: string, variable: CurveVariable = TRAJECTORIES): string {
  const symbol = variableSymbol(variable);
  return symbol === 'N' ? formula : formula.replace(/\bN\b/g, symbol);
}
