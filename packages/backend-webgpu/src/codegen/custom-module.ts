import { usesErf, WGSL_PRELUDE, type Expr, type PairTerm } from '@brokenrecord/core';
import { BOUNDS_WGSL } from '../kernels/bounds.js';
import { PARAMS_WGSL, SCRATCH_WGSL, STATE_WGSL } from '../kernels/common.js';
import { CUSTOM_COMMON_WGSL, TOPOLOGY } from '../kernels/custom-common.js';
import { GRID_INFO_WGSL } from '../kernels/grid-common.js';
import { LOCAL_FORCES_WGSL } from '../kernels/local-forces.js';
import { pairRecordExtras, PAIR_RECORD_HEAD, type GpuPlan } from '../gpu-plan.js';
import { block, emitOutputs, f32Literal, variablesOf, type VariableMap } from './expressions.js';
import { withPreciseFunctions, WGSL_MATH } from './wgsl-math.js';

/** Invocations per workgroup of every generated kernel, and the tile of the all-pairs kernels. */
export const CUSTOM_WORKGROUP = 64;

/** The entry points a generated module may have; which ones it has depends on the plan. */
export const CUSTOM_ENTRIES = [
  /** Copies each particle's position, index and partner values into its cell-order pair record. */
  'customGather',
  /** Pair forces without cutoff, all pairs through workgroup tiles, into the cached accelerations. */
  'customAllPairs',
  /** External forces, position-only fields, cutoff pair forces (grid) and bond forces, into the cached accelerations. */
  'customForces',
  /** A kick with the velocity-dependent fields evaluated at the current velocity. */
  'customKick',
  /** Every step of a call for systems where no rule couples particles. */
  'customFused',
  /** Potential shares of the all-pairs terms (diagnostics). */
  'customAllPairsPotential',
  /** Potential shares of external, cutoff pair and bond terms (diagnostics). */
  'customPotential',
  /** Advances the step clock by the stage's step count. */
  'advanceClock',
] as const;
export type CustomEntry = (typeof CUSTOM_ENTRIES)[number];

export interface CustomModule {
  /** The whole WGSL module: what the shader cache is keyed on. */
  source: string;
  entries: CustomEntry[];
}

/**
 * Generates the WGSL of one system's expression rules from core's kernel plan (docs/physics.md,
 * "Rules written as expressions"). Every expression is emitted by core's buildProgram and
 * programToWGSL (common subexpressions shared, integer powers as multiplications); this file only
 * decides where each runs and what its variables read:
 *
 * - external forces and fields: per particle, `a += F(x, t)/m` and `a += A(x, v, t)`;
 * - pair forces with a cutoff: over the uniform grid (cells ≥ the largest cutoff, grid-*.ts),
 *   each particle scanning the (2·reach + 1)³ cells around its own (cells ≥ cutoff/reach; wrapped,
 *   with the nearest image, when periodic) in
 *   cell order through pair records; without a cutoff, all pairs through workgroup tiles;
 * - bond forces: each particle sums its own bonds from the adjacency (custom-data.ts), so the
 *   force on both ends comes from one fScale evaluated alike and no float atomics are needed;
 * - `exclude: 'bonds'`: the partner is looked up in the particle's bonded-partner list;
 * - everything that does not read a velocity goes into the cached-acceleration scratch columns,
 *   which verlet reuses between steps; velocity-dependent fields are evaluated at every kick.
 *
 * Potential energies get per-particle shares that the diagnostics reduction adds: a particle's
 * external energy, every cutoff or all-pairs pair where it is the lower index (Σ_{i<j} U, with
 * `1` = i as in core's reference) and every bond where it is the first particle.
 *
 * Returns null for a system without expression rules (the hand-written kernels run it).
 */
export function generateCustomModule(plan: GpuPlan): CustomModule | null {
  if (!plan.custom) return null;
  const g = new Generator(plan);
  return g.module();
}

/** Names the generated WGSL gives the two ends of a pair or bond: i's values, j's values. */
interface Sides {
  one: (base: string) => string;
  two: (base: string) => string;
}

class Generator {
  readonly plan: GpuPlan;
  readonly entries: CustomEntry[] = [];
  readonly parts: string[] = [];
  /** Attribute column index by name (the properties buffer's order). */
  readonly column = new Map<string, number>();
  readonly gridTerms: PairTerm[];
  readonly tileTerms: PairTerm[];
  readonly positionFields;
  readonly velocityFields;

  constructor(plan: GpuPlan) {
    this.plan = plan;
    plan.attributes.forEach((name, k) => this.column.set(name, k));
    this.gridTerms = plan.pairs.filter((p) => p.cutoff !== null);
    this.tileTerms = plan.pairs.filter((p) => p.cutoff === null);
    this.positionFields = plan.fields.filter((f) => !f.usesVelocity);
    this.velocityFields = plan.fields.filter((f) => f.usesVelocity);
  }

  module(): CustomModule {
    const { plan } = this;
    this.parts.push(PARAMS_WGSL, STATE_WGSL, SCRATCH_WGSL, GRID_INFO_WGSL, CUSTOM_COMMON_WGSL, LOCAL_FORCES_WGSL, BOUNDS_WGSL);
    this.parts.push(/* wgsl */ `
@group(0) @binding(5) var<storage, read_write> cells: array<u32>;
@group(0) @binding(6) var<storage, read_write> particleCells: array<u32>;
// One struct for every stage slot a generated kernel reads: word 0 is the kick's h (f32 bits)
// or a step count.
struct CustomStage {
  w0: u32,
  w1: u32,
  w2: u32,
  w3: u32,
}
@group(1) @binding(0) var<uniform> stage: CustomStage;
const WG = ${CUSTOM_WORKGROUP}u;
`);
    this.parts.push(WGSL_MATH);
    if (this.usesErf()) this.parts.push(withPreciseFunctions(WGSL_PRELUDE));
    this.particleFunctions();
    if (plan.gridPairs) {
      this.gather();
      this.gridPairFunctions();
    }
    if (plan.bonds.length) this.bondFunctions();
    if (plan.allPairs) this.allPairs();
    // A system where no rule couples particles runs fused; the others step phase by phase.
    if (plan.perParticle) this.fusedEntry();
    else {
      if (plan.external.length || this.positionFields.length || plan.gridPairs || plan.bonds.length) this.forcesEntry();
      if (this.velocityFields.length) this.kickEntry();
    }
    if (plan.external.length || plan.gridPairs || plan.bonds.length) this.potentialEntry();
    if (plan.usesTime) this.clockEntry();
    return { source: this.parts.join('\n'), entries: this.entries };
  }

  usesErf(): boolean {
    const trees: Expr[] = [];
    for (const p of [...this.plan.pairs, ...this.plan.bonds]) trees.push(p.energy, p.fScale);
    for (const e of this.plan.external) trees.push(e.energy, ...e.force);
    for (const f of this.plan.fields) trees.push(...f.acceleration);
    return trees.some(usesErf);
  }

  /** `let` loads of particle `index`'s mass, radius and attribute columns, named by `name(base)`. */
  particleLoads(index: string, name: (base: string) => string, bases: Iterable<string>, indent: string): string {
    const lines: string[] = [];
    for (const base of bases) lines.push(`${indent}let ${name(base)} = ${this.load(base, index)};`);
    return lines.join('\n');
  }

  load(base: string, index: string): string {
    if (base === 'm') return `massOf(${index})`;
    if (base === 'radius') return `radiusOf(${index})`;
    const k = this.column.get(base);
    if (k === undefined) throw new Error(`webgpu codegen: attribute '${base}' is not among the plan's attributes`);
    return `attributeOf(${k}u, ${index})`;
  }

  /** Local name of particle-side value `base` (mass, radius, attribute k) with a side tag. */
  localName(tag: string, base: string): string {
    if (base === 'm') return `${tag}Mass`;
    if (base === 'radius') return `${tag}Radius`;
    return `${tag}Attr${this.column.get(base)}`;
  }

  /** The per-particle bases (m, radius, attributes) a set of one-particle trees reads. */
  oneParticleBases(used: Set<string>): string[] {
    return ['m', 'radius', ...this.plan.attributes].filter((b) => used.has(b));
  }

  /** Whether `base` is a per-particle value: mass, radius or an attribute column of the plan. */
  isParticleBase(base: string): boolean {
    return base === 'm' || base === 'radius' || this.column.has(base);
  }

  /** Variables of external-force and field expressions: x y z (vx vy vz) t m radius columns. */
  particleVariables(velocity: boolean): VariableMap {
    const fixed = new Map<string, string>([
      ['x', 'xi.x'],
      ['y', 'xi.y'],
      ['z', 'xi.z'],
      ['t', 't'],
    ]);
    if (velocity) {
      fixed.set('vx', 'vi.x');
      fixed.set('vy', 'vi.y');
      fixed.set('vz', 'vi.z');
    }
    return (name) => fixed.get(name) ?? (this.isParticleBase(name) ? this.localName('self', name) : undefined);
  }

  /** Variables of pair and bond expressions: r, and name1/name2 for mass, radius and columns. */
  twoBodyVariables(sides: Sides, extra: [string, string][] = []): VariableMap {
    const fixed = new Map<string, string>([['r', 'r'], ...extra]);
    return (name) => {
      const hit = fixed.get(name);
      if (hit !== undefined) return hit;
      const base = name.slice(0, -1);
      if (!this.isParticleBase(base)) return undefined;
      if (name.endsWith('1')) return sides.one(base);
      if (name.endsWith('2')) return sides.two(base);
      return undefined;
    };
  }

  /** positionAcceleration (external forces/m + position fields) and velocityAcceleration. */
  particleFunctions(): void {
    const { plan } = this;
    const positionTrees = [...plan.external.flatMap((e) => e.force), ...this.positionFields.flatMap((f) => f.acceleration)];
    const velocityTrees = this.velocityFields.flatMap((f) => f.acceleration);
    const energyTrees = plan.external.map((e) => e.energy);
    const body = (trees: Expr[], velocity: boolean, inner: () => string[]) => {
      const loads = this.particleLoads('i', (b) => this.localName('self', b), this.oneParticleBases(variablesOf(trees)), '  ');
      return [loads, ...inner()].filter(Boolean).join('\n');
    };
    const vars = this.particleVariables(false);
    const withVelocity = this.particleVariables(true);
    this.parts.push(`// External forces F = −∇U (divided by m) and fields that read no velocity, at (x, t).
fn positionAcceleration(i: u32, xi: vec3f, t: f32) -> vec3f {
${body(positionTrees, false, () => {
  const lines = ['  var force = vec3f(0.0);', '  var accel = vec3f(0.0);'];
  plan.external.forEach((term, k) => {
    const { statements, outputs } = emitOutputs(term.force, vars, `brE${k}_`);
    lines.push(`  // externalForce (rule ${term.rule})`);
    lines.push(block(statements, [`force = force + vec3f(${outputs.join(', ')});`], '  '));
  });
  this.positionFields.forEach((term, k) => {
    const { statements, outputs } = emitOutputs(term.acceleration, vars, `brF${k}_`);
    lines.push(`  // field (rule ${term.rule})`);
    lines.push(block(statements, [`accel = accel + vec3f(${outputs.join(', ')});`], '  '));
  });
  lines.push(plan.external.length ? '  return force / massOf(i) + accel;' : '  return accel;');
  return lines;
})}
}

// Fields that read the velocity, at (x, v, t).
fn velocityAcceleration(i: u32, xi: vec3f, vi: vec3f, t: f32) -> vec3f {
${body(velocityTrees, true, () => {
  const lines = ['  var accel = vec3f(0.0);'];
  this.velocityFields.forEach((term, k) => {
    const { statements, outputs } = emitOutputs(term.acceleration, withVelocity, `brV${k}_`);
    lines.push(`  // field (rule ${term.rule})`);
    lines.push(block(statements, [`accel = accel + vec3f(${outputs.join(', ')});`], '  '));
  });
  lines.push('  return accel;');
  return lines;
})}
}

// Σ of the external potentials U(x, t) of particle i.
fn externalEnergy(i: u32, xi: vec3f, t: f32) -> f32 {
${body(energyTrees, false, () => {
  const lines = ['  var e = 0.0;'];
  plan.external.forEach((term, k) => {
    const { statements, outputs } = emitOutputs([term.energy], vars, `brU${k}_`);
    lines.push(block(statements, [`e = e + ${outputs[0]};`], '  '));
  });
  lines.push('  return e;');
  return lines;
})}
}
`);
  }

  /** Pair record layout: head (x y z index), then the partner values the cutoff terms read. */
  recordExtras(): string[] {
    return pairRecordExtras(this.plan);
  }

  gather(): void {
    const extras = this.recordExtras();
    const stride = PAIR_RECORD_HEAD + extras.length;
    this.entries.push('customGather');
    this.parts.push(`const PAIR_RECORD_COLUMN = ${this.plan.pairRecordColumn}u;
// Cells are at least (largest cutoff)/PAIR_REACH wide: a pair within the cutoff is at most that many cells apart.
const PAIR_REACH = ${this.plan.pairReach}u;
const PAIR_RECORD_STRIDE = ${stride}u;
fn pairRecord(slot: u32) -> u32 {
  return PAIR_RECORD_COLUMN * params.capacity + PAIR_RECORD_STRIDE * slot;
}

@compute @workgroup_size(WG)
fn customGather(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let slot = flatIndex(id, groups, WG);
  if (slot >= params.count || gridCellCount() == 0u) {
    return;
  }
  let i = particleCells[slot];
  let x = loadPosition(i);
  let rec = pairRecord(slot);
  scratch[rec] = x.x;
  scratch[rec + 1u] = x.y;
  scratch[rec + 2u] = x.z;
  scratch[rec + 3u] = bitcast<f32>(i);
${extras.map((base, e) => `  scratch[rec + ${PAIR_RECORD_HEAD + e}u] = ${this.load(base, 'i')};`).join('\n')}
}
`);
  }

  /** The body of the cutoff pair loop for one candidate (record `rec`, slot `k`), forces or energies. */
  gridPairBody(energy: boolean): string {
    const { plan } = this;
    const extras = this.recordExtras();
    const sides: Sides = {
      one: (b) => this.localName('self', b),
      two: (b) => {
        const e = extras.indexOf(b);
        if (e < 0) throw new Error(`webgpu codegen: the pair record holds no '${b}'`);
        return `partner${e}`;
      },
    };
    const vars = this.twoBodyVariables(sides);
    const maxCut2 = Math.max(...this.gridTerms.map((t) => Math.fround(t.cutoff! * t.cutoff!)));
    const lines: string[] = [];
    lines.push(`let rec = pairRecord(k);`);
    lines.push(`let xj = vec3f(scratch[rec], scratch[rec + 1u], scratch[rec + 2u]);`);
    lines.push(plan.periodic ? `let d = nearestImage(xj, xi);` : `let d = xj - xi;`);
    lines.push(`let r2 = d.x * d.x + d.y * d.y + d.z * d.z;`);
    const inner: string[] = [];
    inner.push(`let j = bitcast<u32>(scratch[rec + 3u]);`);
    inner.push(`let r = sqrt(r2);`);
    extras.forEach((_b, e) => inner.push(`let partner${e} = scratch[rec + ${PAIR_RECORD_HEAD + e}u];`));
    if (this.gridTerms.some((t) => t.excludeBonds)) inner.push(`let isBonded = bonded(i, j);`);
    this.gridTerms.forEach((term) => {
      const k = plan.pairs.indexOf(term);
      const cut2 = f32Literal(term.cutoff! * term.cutoff!);
      const condition = [`r2 < ${cut2}`, ...(term.excludeBonds ? ['!isBonded'] : [])].join(' && ');
      const tree = energy ? term.energy : term.fScale;
      const { statements, outputs } = emitOutputs([tree], vars, `brP${k}_`);
      inner.push(`// pairForce (rule ${term.rule}), cutoff ${term.cutoff}`);
      inner.push(
        `if (${condition}) ` +
          block(statements, [energy ? `e = e + ${outputs[0]};` : `force = force + ${outputs[0]} * d;`], '').trimStart(),
      );
    });
    const guard = energy
      ? `k != slot && r2 < ${f32Literal(maxCut2)} && bitcast<u32>(scratch[rec + 3u]) > i`
      : `k != slot && r2 < ${f32Literal(maxCut2)}`;
    lines.push(`if (${guard}) ` + block(inner, [], '').trimStart());
    return lines
      .map((l) =>
        l
          .split('\n')
          .map((x) => `            ${x}`)
          .join('\n'),
      )
      .join('\n');
  }

  /** gridPairForce(slot, i, xi) and gridPairEnergy: the scan of the cells around i for the cutoff pair terms. */
  gridPairFunctions(): void {
    const selfBases = this.oneParticleBases(
      new Set(
        [...variablesOf(this.gridTerms.flatMap((t) => [t.energy, t.fScale]))].filter((v) => v.endsWith('1')).map((v) => v.slice(0, -1)),
      ),
    );
    const fn = (name: string, energy: boolean) => `fn ${name}(slot: u32, i: u32, xi: vec3f) -> ${energy ? 'f32' : 'vec3f'} {
${this.particleLoads('i', (b) => this.localName('self', b), selfBases, '  ')}
  ${energy ? 'var e = 0.0;' : 'var force = vec3f(0.0);'}
  let dims = gridDims();
  let c = cellCoordinates(xi);
  let sz = neighbourSpanWithin(c.z, dims.z, PAIR_REACH);
  let sy = neighbourSpanWithin(c.y, dims.y, PAIR_REACH);
  let runs = rowRuns(neighbourSpanWithin(c.x, dims.x, PAIR_REACH), dims.x);
  for (var kz = 0u; kz < sz.y; kz++) {
    let z = (sz.x + kz) % dims.z;
    for (var ky = 0u; ky < sy.y; ky++) {
      let y = (sy.x + ky) % dims.y;
      let row = params.cellEntries + dims.x * (y + dims.y * z);
      for (var run = 0u; run < 2u; run++) {
        let sliceStart = cells[row + select(runs.x, runs.z, run == 1u)];
        let sliceEnd = cells[row + select(runs.y, runs.w, run == 1u)];
        for (var k = sliceStart; k < sliceEnd; k++) {
${this.gridPairBody(energy)}
        }
      }
    }
  }
  return ${energy ? 'e' : 'force'};
}
`;
    this.parts.push(`// Cutoff pair forces over the grid: Σ_j fScale(r)·d, d = x_j − x_i${this.plan.periodic ? ' (nearest image)' : ''}.
${fn('gridPairForce', false)}
// Σ_{j > i} U(r) of the cutoff pair terms (each pair counted once, by its lower index).
${fn('gridPairEnergy', true)}`);
  }

  /** bondForce(i) and bondEnergy(i): particle i's bonds from the adjacency. */
  bondFunctions(): void {
    const { plan } = this;
    const sides: Sides = { one: (b) => this.localName('first', b), two: (b) => this.localName('second', b) };
    const trees = plan.bonds.flatMap((t) => [t.energy, t.fScale]);
    const used = variablesOf(trees);
    const firstBases = this.oneParticleBases(new Set([...used].filter((v) => v.endsWith('1')).map((v) => v.slice(0, -1))));
    const secondBases = this.oneParticleBases(new Set([...used].filter((v) => v.endsWith('2')).map((v) => v.slice(0, -1))));
    const cases = (energy: boolean) =>
      plan.bonds
        .map((term, k) => {
          const extra: [string, string][] = term.perBond.map((name, n) => [name, `perBondValue(${k}u, ${n}u, b)`]);
          const vars = this.twoBodyVariables(sides, extra);
          const { statements, outputs } = emitOutputs([energy ? term.energy : term.fScale], vars, `brB${k}_`);
          return `      case ${k}u: ${block(statements, [`value = ${outputs[0]};`], '      ').trimStart()}`;
        })
        .join('\n');
    const fn = (name: string, energy: boolean) => `fn ${name}(i: u32) -> ${energy ? 'f32' : 'vec3f'} {
  let offsets = topology[${TOPOLOGY.BOND_OFFSETS}u];
  let entries = topology[${TOPOLOGY.BOND_ENTRIES}u];
  let end = topology[offsets + i + 1u];
  var ${energy ? 'e = 0.0' : 'force = vec3f(0.0)'};
  for (var n = topology[offsets + i]; n < end; n++) {
    let other = topology[entries + 2u * n];
    let info = topology[entries + 2u * n + 1u];
    let isFirst = (info & 1u) == 1u;
    let term = (info >> 1u) & 127u;
    let b = info >> 8u;
    let p1 = select(other, i, isFirst);
    let p2 = select(i, other, isFirst);
    ${plan.periodic ? 'let d = nearestImage(loadPosition(p2), loadPosition(p1));' : 'let d = loadPosition(p2) - loadPosition(p1);'}
    let r = sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
${this.particleLoads('p1', (b) => this.localName('first', b), firstBases, '    ')}
${this.particleLoads('p2', (b) => this.localName('second', b), secondBases, '    ')}
    var value = 0.0;
    switch (term) {
${cases(energy)}
      default: {}
    }
    ${energy ? 'e = e + select(0.0, value, isFirst);' : 'force = force + select(-value, value, isFirst) * d;'}
  }
  return ${energy ? 'e' : 'force'};
}
`;
    this.parts.push(`// Bond forces: fScale(r)·d for the bond's first particle, −fScale(r)·d for its second, d = x_j − x_i.
${fn('bondForce', false)}
// Σ U(r) of the bonds whose first particle is i.
${fn('bondEnergy', true)}`);
  }

  /** The tiled all-pairs kernels of the pair terms without cutoff (forces and potential shares). */
  allPairs(): void {
    const { plan } = this;
    const trees = this.tileTerms.flatMap((t) => [t.energy, t.fScale]);
    const used = variablesOf(trees);
    const partnerBases = this.oneParticleBases(new Set([...used].filter((v) => v.endsWith('2')).map((v) => v.slice(0, -1))));
    const selfBases = this.oneParticleBases(new Set([...used].filter((v) => v.endsWith('1')).map((v) => v.slice(0, -1))));
    const sides: Sides = {
      one: (b) => this.localName('self', b),
      two: (b) => `tile${this.localName('', b)}[t]`,
    };
    const vars = this.twoBodyVariables(sides);
    const excludes = this.tileTerms.some((t) => t.excludeBonds);
    const terms = (energy: boolean) =>
      this.tileTerms
        .map((term) => {
          const k = plan.pairs.indexOf(term);
          const { statements, outputs } = emitOutputs([energy ? term.energy : term.fScale], vars, `brA${k}_`);
          const apply = energy ? `e = e + ${outputs[0]};` : `force = force + ${outputs[0]} * d;`;
          const b = block(statements, [apply], '            ').trimStart();
          return `            // pairForce (rule ${term.rule}), all pairs\n            ${term.excludeBonds ? `if (!isBonded) ${b}` : b}`;
        })
        .join('\n');
    const kernel = (name: CustomEntry, energy: boolean) => {
      this.entries.push(name);
      const first = plan.pairwise.length === 0;
      const store = energy
        ? first
          ? 'storePotentialShare(i, e);'
          : 'storePotentialShare(i, loadPotentialShare(i) + e);'
        : first
          ? 'storePairwise(i, force / selfMass);'
          : 'storePairwise(i, loadPairwise(i) + force / selfMass);';
      const selfLoads = new Set(selfBases);
      if (!energy) selfLoads.add('m');
      return `@compute @workgroup_size(WG)
fn ${name}(
  @builtin(global_invocation_id) id: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let i = flatIndex(id, groups, WG);
  let inRange = i < params.count;
  let own = min(i, params.count - 1u);
  let xi = loadPosition(own);
${this.particleLoads('own', (b) => this.localName('self', b), this.oneParticleBases(selfLoads), '  ')}
  ${energy ? 'var e = 0.0;' : 'var force = vec3f(0.0);'}
  for (var base = 0u; base < params.count; base += WG) {
    let loaded = base + lane;
    if (loaded < params.count) {
      tilePosition[lane] = loadPosition(loaded);
${partnerBases.map((b) => `      tile${this.localName('', b)}[lane] = ${this.load(b, 'loaded')};`).join('\n')}
    }
    workgroupBarrier();
    if (inRange) {
      let size = min(WG, params.count - base);
      for (var t = 0u; t < size; t++) {
        let j = base + t;
        if (${energy ? 'j > i' : 'j != i'}) {
          let d = tilePosition[t] - xi;
          let r = sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
${excludes ? '          let isBonded = bonded(i, j);\n' : ''}${terms(energy)}
        }
      }
    }
    workgroupBarrier();
  }
  if (inRange) {
    ${store}
  }
}
`;
    };
    this.parts.push(`// Pair forces without cutoff: all pairs, ${CUSTOM_WORKGROUP} partners at a time through workgroup memory.
var<workgroup> tilePosition: array<vec3f, WG>;
${partnerBases.map((b) => `var<workgroup> tile${this.localName('', b)}: array<f32, WG>;`).join('\n')}
${kernel('customAllPairs', false)}
${kernel('customAllPairsPotential', true)}`);
  }

  forcesEntry(): void {
    const { plan } = this;
    this.entries.push('customForces');
    const first = plan.pairwise.length === 0 && !plan.allPairs;
    const particle = plan.external.length || this.positionFields.length;
    this.parts.push(`// The position-dependent expression terms of particle i into the cached accelerations.
@compute @workgroup_size(WG)
fn customForces(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let slot = flatIndex(id, groups, WG);
  if (slot >= params.count) {
    return;
  }
${plan.gridPairs ? '  // In cell order: neighbouring invocations scan the same cells.\n  let gridded = gridCellCount() > 0u;\n  let i = select(slot, particleCells[slot], gridded);' : '  let i = slot;'}
  let xi = loadPosition(i);
  var a = ${particle ? 'positionAcceleration(i, xi, clockTime(0u))' : 'vec3f(0.0)'};
  var force = vec3f(0.0);
${plan.gridPairs ? '  if (gridded) {\n    force = force + gridPairForce(slot, i, xi);\n  }' : ''}
${plan.bonds.length ? '  force = force + bondForce(i);' : ''}
  a = a + force / massOf(i);
  ${first ? 'storePairwise(i, a);' : 'storePairwise(i, loadPairwise(i) + a);'}
}
`);
  }

  kickEntry(): void {
    this.entries.push('customKick');
    this.parts.push(`// v += (g − k·v + cached + velocity fields)·h, h = dt or dt/2 (the stage's f32).
@compute @workgroup_size(WG)
fn customKick(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, WG);
  if (i >= params.count) {
    return;
  }
  let v = loadVelocity(i);
  var a = localAcceleration(v);
  if (hasFlag(FLAG_CACHED)) {
    a = a + loadPairwise(i);
  }
  a = a + velocityAcceleration(i, loadPosition(i), v, clockTime(0u));
  storeVelocity(i, v + a * bitcast<f32>(stage.w0));
}
`);
  }

  fusedEntry(): void {
    this.entries.push('customFused');
    this.parts.push(`// Systems where no rule couples particles: stage.w0 whole steps per dispatch, in registers,
// in the order of docs/physics.md (the same as kernels/fused.ts, with the expression terms).
fn fusedAcceleration(i: u32, x: vec3f, v: vec3f, t: f32) -> vec3f {
  return localAcceleration(v) + positionAcceleration(i, x, t) + velocityAcceleration(i, x, v, t);
}

@compute @workgroup_size(WG)
fn customFused(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, WG);
  if (i >= params.count) {
    return;
  }
  var x = loadPosition(i);
  var v = loadVelocity(i);
  let r = radiusOf(i);
  let verlet = hasFlag(FLAG_VERLET);
  let bounded = hasFlag(FLAG_BOUNDS);
  let periodicBox = hasFlag(FLAG_PERIODIC);
  let firstKick = select(params.dt, params.halfDt, verlet);
  for (var s = 0u; s < stage.w0; s++) {
    v = v + fusedAcceleration(i, x, v, clockTime(s)) * firstKick;
    if (bounded) {
      v = reflectAtWalls(x, v, r);
    }
    x = x + v * params.dt;
    if (bounded) {
      x = clampToBox(x, r);
    }
    if (periodicBox) {
      x = wrapPeriodic(x);
    }
    if (verlet) {
      v = v + fusedAcceleration(i, x, v, clockTime(s + 1u)) * params.halfDt;
    }
  }
  storePosition(i, x);
  storeVelocity(i, v);
}
`);
  }

  potentialEntry(): void {
    const { plan } = this;
    this.entries.push('customPotential');
    const first = plan.pairwise.length === 0 && !plan.allPairs;
    this.parts.push(`// Particle i's share of the external, cutoff pair and bond potentials (diagnostics).
@compute @workgroup_size(WG)
fn customPotential(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let slot = flatIndex(id, groups, WG);
  if (slot >= params.count) {
    return;
  }
${plan.gridPairs ? '  let gridded = gridCellCount() > 0u;\n  let i = select(slot, particleCells[slot], gridded);' : '  let i = slot;'}
  let xi = loadPosition(i);
  var e = 0.0;
${plan.external.length ? '  e = e + externalEnergy(i, xi, clockTime(0u));' : ''}
${plan.gridPairs ? '  if (gridded) {\n    e = e + gridPairEnergy(slot, i, xi);\n  }' : ''}
${plan.bonds.length ? '  e = e + bondEnergy(i);' : ''}
  ${first ? 'storePotentialShare(i, e);' : 'storePotentialShare(i, loadPotentialShare(i) + e);'}
}
`);
  }

  clockEntry(): void {
    this.entries.push('advanceClock');
    this.parts.push(`// The step clock: stage.w0 more steps have been taken in this call.
@compute @workgroup_size(1)
fn advanceClock() {
  advanceClockBy(stage.w0);
}
`);
  }
}
