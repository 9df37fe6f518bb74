import { PickPlaceExpert, type Sim, type StepResult } from '@gripgen/sim-core';
import type { Controller } from './controller.js';

/** The scripted pick-place expert of sim-core (privileged: reads the cube size and bin position). */
export class ExpertController implements Controller {
  readonly label = 'scripted expert';
  private expert: PickPlaceExpert | undefined;
  private sim: Sim | undefined;

  beginEpisode(sim: Sim): void {
    // The expert keys its per-world style on (seed, episode, world) and restarts a world whose
    // step count is 0, so one instance per Sim is enough; a new Sim (other worlds) needs a new one.
    if (this.sim === sim) return;
    this.sim = sim;
    this.expert = new PickPlaceExpert(sim.spec.numWorlds, sim.spec.seed);
  }

  act(sim: Sim, result: StepResult, actions: Float32Array): void {
    this.expert!.act(result.obs, sim.spec.obsSize, sim.paramTable, result.episode, result.stepCount, actions);
  }

  describeWorld(world: number): Record<string, string> {
    return this.expert ? { 'expert phase': this.expert.phaseOf(world) } : {};
  }
}
