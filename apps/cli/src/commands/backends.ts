import { BackendUnavailableError, listBackends, resolveBackend } from '@brokenrecord/core';
import { SCENARIOS } from '../scenarios/index.js';
import { renderTable } from '../table.js';

/**
 * `brokenrecord backends`: every backend core knows (registered or official but not installed),
 * why it can or cannot run here, and what `auto` picks for each scenario's system; the pick can
 * differ per system, since a backend must implement every rule of it.
 */
export async function backendsCommand(): Promise<number> {
  const infos = await listBackends();
  const rows = infos.map((b) => [
    b.name,
    b.available ? 'yes' : 'no',
    String(b.speed),
    b.available ? (b.features.length ? `features: ${b.features.join(', ')}` : '') : (b.reason ?? 'unavailable'),
  ]);
  console.log(renderTable(['backend', 'available', 'speed', 'detail'], rows));

  const override = process.env.BROKENRECORD_BACKEND;
  console.log(`\nauto picks${override ? ` (BROKENRECORD_BACKEND=${override} overrides)` : ''}:`);
  const picks: string[][] = [];
  for (const scenario of SCENARIOS) {
    const system = scenario.system({ particles: scenario.defaults.particles, integrator: scenario.defaults.integrator });
    let pick: string;
    try {
      pick = (await resolveBackend('auto', system)).name;
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      pick = `none (${error.reasons.map((r) => `${r.name}: ${r.reason}`).join('; ')})`;
    }
    picks.push([`  ${scenario.name}`, system.rules.map((r) => r.kind).join(' + '), pick]);
  }
  console.log(renderTable(['  scenario', 'rules', 'backend'], picks));
  return 0;
}
