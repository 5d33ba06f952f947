import { UserError } from '../errors.js';
import { cluster } from './cluster.js';
import { collisionBox } from './collision-box.js';
import { galaxy } from './galaxy.js';
import { granular } from './granular.js';
import { lennardJones } from './lennard-jones.js';
import type { Scenario } from './scenario.js';
import { seed } from './seed.js';
import { solarSystem } from './solar-system.js';
import { springs } from './springs.js';

export type { Readout, Scenario, ScenarioOptions } from './scenario.js';
// The scenarios are also a library (`@brokenrecord/cli/scenarios`): the browser demo runs the same set-ups.
export { SeededRandom } from '../random.js';

export const SCENARIOS: readonly Scenario[] = [seed, solarSystem, galaxy, cluster, collisionBox, lennardJones, springs, granular];

export function findScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) {
    throw new UserError(`unknown scenario '${name}' (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  }
  return scenario;
}
