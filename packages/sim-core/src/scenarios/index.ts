/**
 * Physical scenarios: small pick-place scenes run through the Sim API on any backend, each
 * checked against formulas from mechanics (`mechanics.ts`). `npm run bench:scenarios` prints
 * the table per backend; test/scenarios.test.ts runs them as tests.
 */
export { runScenario, judge } from './scenario.js';
export type { Scenario, ScenarioBackend, ScenarioOptions, ScenarioReport, WorldOutcome } from './scenario.js';
export * from './mechanics.js';
import { restScenario } from './rest.js';
import { slideScenario } from './slide.js';
import { liftHoldScenario } from './lift-hold.js';
import { loadLimitScenario } from './load-limit.js';
import { holdShakeScenario } from './hold-shake.js';
import { offCentrePushScenario, tipOrSlideScenario } from './push.js';
import { pinchTurnHorizontalScenario, pinchTurnVerticalScenario } from './pinch-turn.js';
import type { Scenario } from './scenario.js';

/** Every scenario, in the order reports list them. */
export const SCENARIOS: readonly Scenario[] = [restScenario, slideScenario, tipOrSlideScenario, offCentrePushScenario, liftHoldScenario, loadLimitScenario, holdShakeScenario, pinchTurnVerticalScenario, pinchTurnHorizontalScenario];
