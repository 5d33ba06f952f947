import { cluster } from './cluster';
import { collisionBox } from './collision-box';
import { galaxy } from './galaxy';
import type { Scenario } from './scenario';
import { solarSystem } from './solar-system';

export type { Scenario } from './scenario';

export const SCENARIOS: readonly Scenario[] = [solarSystem, galaxy, cluster, collisionBox];

export function findScenario(name: string): Scenario {
  return SCENARIOS.find((s) => s.name === name) ?? SCENARIOS[0];
}
