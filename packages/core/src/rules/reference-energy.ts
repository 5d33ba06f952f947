import { compileFunction } from '../expr/index.js';
import type { BondTerm, ExternalTerm, PairTerm, PeriodicBox } from '../kernel-plan.js';
import type { ParticleState } from '../state.js';
import { bondedPairs, forEachPairWithin, nearestImage } from './neighbor-pairs.js';

/**
 * Float64 reference potential energies of the user's rules, evaluated from the same trees the
 * backends generate code from. Diagnostics use these on the CPU backends; GPU backends reduce their
 * own and are compared with these in the conformance suite.
 */

/** Argument order of a two-body energy function and how to read each argument for particles i, j. */
function twoBodyArguments(state: ParticleState, columns: readonly string[], extra: readonly string[] = []) {
  const names = ['r'];
  const readers: ((i: number, j: number) => number)[] = [];
  for (const base of ['m', 'radius', ...columns]) {
    const column = base === 'm' ? state.mass : base === 'radius' ? state.radius : state.attribute(base);
    names.push(`${base}1`, `${base}2`);
    readers.push(
      (i) => column[i],
      (_i, j) => column[j],
    );
  }
  return { names: [...names, ...extra], readers };
}

export function pairEnergy(term: PairTerm, state: ParticleState, box: PeriodicBox | null): number {
  const { names, readers } = twoBodyArguments(state, term.columns);
  const u = compileFunction(term.energy, names);
  const excluded = term.excludeBonds ? bondedPairs(state) : null;
  const n = state.count;
  const args = new Array<number>(names.length);
  let sum = 0;
  const columns = readers.length;
  const add = (i: number, j: number, r2: number) => {
    if (excluded?.has(Math.min(i, j) * n + Math.max(i, j))) return;
    args[0] = Math.sqrt(r2);
    for (let k = 0; k < columns; k++) args[k + 1] = readers[k](i, j);
    sum += u(...args);
  };
  if (term.cutoff !== null) {
    forEachPairWithin(state, term.cutoff, box, (i, j, _dx, _dy, _dz, r2) => add(i, j, r2));
    return sum;
  }
  const { px, py, pz } = state;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = px[j] - px[i],
        dy = py[j] - py[i],
        dz = pz[j] - pz[i];
      add(i, j, dx * dx + dy * dy + dz * dz);
    }
  }
  return sum;
}

export function bondEnergy(term: BondTerm, state: ParticleState, box: PeriodicBox | null): number {
  const table = state.bonds(term.group);
  if (!table) return 0;
  const { names, readers } = twoBodyArguments(state, term.columns, term.perBond);
  const u = compileFunction(term.energy, names);
  const image = box ? nearestImage(box) : null;
  const { px, py, pz } = state;
  const args = new Array<number>(names.length);
  let sum = 0;
  for (let b = 0; b < table.count; b++) {
    const i = table.i[b],
      j = table.j[b];
    let dx = px[j] - px[i],
      dy = py[j] - py[i],
      dz = pz[j] - pz[i];
    if (image) [dx, dy, dz] = image(dx, dy, dz);
    args[0] = Math.sqrt(dx * dx + dy * dy + dz * dz);
    for (let k = 0; k < readers.length; k++) args[k + 1] = readers[k](i, j);
    for (let k = 0; k < term.perBond.length; k++) args[1 + readers.length + k] = table.params[term.perBond[k]][b];
    sum += u(...args);
  }
  return sum;
}

export function externalEnergy(term: ExternalTerm, state: ParticleState, time: number): number {
  const names = ['x', 'y', 'z', 't', 'm', 'radius', ...term.columns];
  const u = compileFunction(term.energy, names);
  const columns = term.columns.map((c) => state.attribute(c));
  const { px, py, pz, mass, radius } = state;
  const args = new Array<number>(names.length);
  let sum = 0;
  for (let i = 0; i < state.count; i++) {
    args[0] = px[i];
    args[1] = py[i];
    args[2] = pz[i];
    args[3] = time;
    args[4] = mass[i];
    args[5] = radius[i];
    for (let k = 0; k < columns.length; k++) args[6 + k] = columns[k][i];
    sum += u(...args);
  }
  return sum;
}
