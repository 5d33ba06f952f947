import type { SuiteContext } from '../context.js';
import { badInputCases } from './bad-inputs.js';
import { broadphaseCases } from './broadphase.js';
import { closedSystemMomentumCases } from './closed-system-momentum.js';
import { diagnosticsCases } from './diagnostics.js';
import { divergenceCases } from './divergence.js';
import { dragCases } from './drag.js';
import { expressionErrorCases } from './expression-errors.js';
import { expressionForceCases } from './expression-forces.js';
import { expressionOscillatorCases } from './expression-oscillators.js';
import { expressionSnapshotCases } from './expression-snapshots.js';
import { freeFallCases } from './free-fall.js';
import { gravityTreeCases } from './gravity-tree.js';
import { hardeningCases } from './hardening.js';
import { hardSphereContactCases } from './hard-sphere-contacts.js';
import { headOnCollisionCases } from './head-on-collisions.js';
import { periodicCases } from './periodic.js';
import { projectileCases } from './projectile.js';
import { referenceAgreementCases } from './reference-agreement.js';
import { seedSimulateCases } from './seed-simulate.js';
import { snapshotCases } from './snapshots.js';
import { softSphereContactCases } from './soft-sphere-contacts.js';
import { softSphereCrowdCases } from './soft-sphere-crowds.js';
import { twoBodyOrbitCases } from './two-body-orbit.js';
import { verletEnergyDriftCases } from './verlet-energy-drift.js';
import { wallBounceCases } from './wall-bounce.js';

/** Every conformance case, in the order of the design document's list. */
export function defineCases(ctx: SuiteContext, options: { referenceAvailable: boolean }): void {
  freeFallCases(ctx);
  projectileCases(ctx);
  twoBodyOrbitCases(ctx);
  dragCases(ctx);
  headOnCollisionCases(ctx);
  hardSphereContactCases(ctx);
  wallBounceCases(ctx);
  closedSystemMomentumCases(ctx);
  verletEnergyDriftCases(ctx);
  broadphaseCases(ctx);
  badInputCases(ctx);
  divergenceCases(ctx);
  snapshotCases(ctx);
  seedSimulateCases(ctx);
  diagnosticsCases(ctx);
  referenceAgreementCases(ctx, options.referenceAvailable);
  // Rules written as expressions (docs/physics.md).
  expressionForceCases(ctx);
  expressionOscillatorCases(ctx);
  periodicCases(ctx);
  expressionSnapshotCases(ctx);
  expressionErrorCases(ctx);
  hardeningCases(ctx);
  // Soft-sphere (DEM) contacts (docs/physics.md, "Soft-sphere contacts").
  softSphereContactCases(ctx);
  softSphereCrowdCases(ctx);
  // Gravity by the Barnes–Hut tree (or its refusal where a backend lacks it).
  gravityTreeCases(ctx);
}
