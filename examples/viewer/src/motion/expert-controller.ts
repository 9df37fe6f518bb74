import { getTask, type ScriptedExpert, type Sim, type StepResult } from '@gripgen/sim-core';
import type { Controller } from './controller.js';

/** The task's scripted expert (`task.expert`; privileged: it reads the worlds' parameters). */
export class ExpertController implements Controller {
  readonly label = 'scripted expert';
  private expert: ScriptedExpert | undefined;
  private sim: Sim | undefined;

  beginEpisode(sim: Sim): void {
    // The expert keys its per-world style on (seed, episode, world) and restarts a world whose
    // step count is 0, so one instance per Sim is enough; a new Sim (other worlds) needs a new one.
    if (this.sim === sim) return;
    const task = getTask(sim.spec.taskId);
    if (!task.expert) throw new Error(`task ${task.id} has no scripted expert: drive it by teleoperation or with a policy file`);
    this.sim = sim;
    this.expert = task.expert(sim.spec.numWorlds, sim.spec.seed);
  }

  act(sim: Sim, result: StepResult, actions: Float32Array): void {
    this.expert!.act(result.obs, sim.spec.obsSize, sim.paramTable, result.episode, result.stepCount, actions);
  }

  describeWorld(world: number): Record<string, string> {
    return this.expert ? { 'expert phase': this.expert.phaseOf(world) } : {};
  }
}
