import { JS_PRELUDE, programToJS, unreachable, usesErf, type PeriodicBox, type Program } from '@brokenrecord/core';
import { HALF_SHELL } from '../kernels/pair-grid.js';
import type { BondSpec, ForceSpec, PairLoopSpec, ParticleSource, ParticleSpec, TwoBodyProgram, TwoBodySource } from './spec.js';

/**
 * JavaScript source of a system's expression kernels, from the trees only (spec.ts): the user's
 * text never reaches the generated source, and no name the user chose does either unmangled.
 * Variables become `v_<name>` (names are identifiers: validated by core), internal values such as
 * r² become `q_<name>`, temporaries are `_…` (program prefixes); the loops' own locals use none
 * of these forms. Every loop here has a twin in interpret.ts doing the same operations in the
 * same order.
 */

const jsName = (v: string): string => (v.startsWith('#') ? `q_${v.slice(1)}` : `v_${v}`);

/** Exact float64 literal (String round-trips every finite double). */
function literal(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite constant ${v} in a kernel`);
  return v < 0 || Object.is(v, -0) ? `(-${String(-v)})` : String(v);
}

const str = (s: string): string => JSON.stringify(s);

function program(p: Program): { statements: string[]; outputs: string[] } {
  return programToJS(p, { name: jsName, declare: 'const' });
}

function indent(lines: string[], depth: number): string[] {
  const pad = '  '.repeat(depth);
  return lines.map((l) => pad + l);
}

function particleRead(name: string, source: ParticleSource, attributeLocal: (name: string) => string): string {
  switch (source.from) {
    case 'x':
      return `const ${jsName(name)} = px[i];`;
    case 'y':
      return `const ${jsName(name)} = py[i];`;
    case 'z':
      return `const ${jsName(name)} = pz[i];`;
    case 'vx':
      return `const ${jsName(name)} = vx[i];`;
    case 'vy':
      return `const ${jsName(name)} = vy[i];`;
    case 'vz':
      return `const ${jsName(name)} = vz[i];`;
    case 'm':
      return `const ${jsName(name)} = mass[i];`;
    case 'radius':
      return `const ${jsName(name)} = radius[i];`;
    case 't':
      return `const ${jsName(name)} = t;`;
    case 'attribute':
      return `const ${jsName(name)} = ${attributeLocal(source.name)}[i];`;
    default:
      return unreachable(source, 'variable source');
  }
}

/** Per-particle terms: `sum += out / m` (external forces) or `sum += out` (fields), per axis. */
function particleKernel(name: string, spec: ParticleSpec, target: 'f' | 'a'): string[] {
  const attrs = [...new Set(spec.variables.flatMap((v) => (v.source.from === 'attribute' ? [v.source.name] : [])))];
  const attrLocal = (a: string) => `col${attrs.indexOf(a)}`;
  const { statements, outputs } = program(spec.program);
  const body: string[] = [];
  body.push(...spec.variables.map((v) => particleRead(v.name, v.source, attrLocal)));
  body.push(...statements);
  body.push(`const mi = mass[i];`);
  body.push(`let sumX = ${target}x[i], sumY = ${target}y[i], sumZ = ${target}z[i];`);
  spec.perMass.forEach((perMass, k) => {
    const tail = perMass ? ' / mi' : '';
    body.push(`sumX += (${outputs[3 * k]})${tail};`);
    body.push(`sumY += (${outputs[3 * k + 1]})${tail};`);
    body.push(`sumZ += (${outputs[3 * k + 2]})${tail};`);
  });
  body.push(`${target}x[i] = sumX;`, `${target}y[i] = sumY;`, `${target}z[i] = sumZ;`);
  return [
    `function ${name}(ws, lo, hi, t) {`,
    `  const px = ws.px, py = ws.py, pz = ws.pz, vx = ws.vx, vy = ws.vy, vz = ws.vz, mass = ws.mass, radius = ws.radius;`,
    `  const ${target}x = ws.${target}x, ${target}y = ws.${target}y, ${target}z = ws.${target}z;`,
    ...attrs.map((a, k) => `  const col${k} = ws.attributes[${str(a)}];`),
    `  for (let i = lo; i < hi; i++) {`,
    ...indent(body, 2),
    `  }`,
    `}`,
  ];
}

/**
 * The statements of one two-body term inside a pair loop: its guards (cutoff, exclusion), its
 * variables, its program, then `s += fScale`. `iValue(slot)`/`jValue(slot)` read packed values.
 */
function twoBodyTerm(
  term: TwoBodyProgram,
  reach2: number | null,
  read: (source: TwoBodySource) => string,
  indices: { i: string; j: string } | null,
): string[] {
  const { statements, outputs } = program(term.program);
  const inner: string[] = [];
  for (const v of term.variables) inner.push(`const ${jsName(v.name)} = ${read(v.source)};`);
  inner.push(...statements);
  inner.push(`s += ${outputs[0]};`);
  let lines = inner;
  if (term.exclude) {
    lines = [
      `let bonded = false;`,
      `for (let e = exStart[${indices!.i}], ee = exStart[${indices!.i} + 1]; e < ee; e++) if (exList[e] === ${indices!.j}) { bonded = true; break; }`,
      `if (!bonded) {`,
      ...indent(lines, 1),
      `}`,
    ];
  }
  if (term.cutoff2 !== null && term.cutoff2 !== reach2) lines = [`if (r2 < ${literal(term.cutoff2)}) {`, ...indent(lines, 1), `}`];
  return [`{`, ...indent(lines, 1), `}`];
}

function pairRead(iLocal: (slot: number) => string, jOffset: (slot: number) => string) {
  return (source: TwoBodySource): string => {
    switch (source.from) {
      case 'r':
        return 'Math.sqrt(r2)';
      case 'r2':
        return 'r2';
      case 'ir2':
        return '1 / r2';
      case 'i':
        return iLocal(source.slot);
      case 'j':
        return jOffset(source.slot);
      case 'bond':
        throw new Error(`pair terms have no per-bond value '${source.name}'`);
      default:
        return unreachable(source, 'variable source');
    }
  };
}

/** Slots of the packed copy that the i side of some term reads (loaded once per particle i). */
function iSlots(loop: PairLoopSpec): number[] {
  const slots = new Set<number>();
  for (const t of loop.terms) for (const v of t.variables) if (v.source.from === 'i') slots.add(v.source.slot);
  return [...slots].sort((a, b) => a - b);
}

function pairBody(loop: PairLoopSpec, jIndex: string, indices: { i: string; j: string }, jLookup: string[]): string[] {
  const read = pairRead(
    (slot) => `pi${slot}`,
    (slot) => `P[k + ${3 + slot}]`,
  );
  const terms = loop.terms.flatMap((t) => twoBodyTerm(t, loop.reach2, read, indices));
  const inner = [
    ...(loop.exclude ? jLookup : []),
    `let s = 0;`,
    ...terms,
    `sumX += s * dx;`,
    `sumY += s * dy;`,
    `sumZ += s * dz;`,
    `const q = 3 * ${jIndex};`,
    `buf[q] -= s * dx;`,
    `buf[q + 1] -= s * dy;`,
    `buf[q + 2] -= s * dz;`,
  ];
  return loop.reach2 === null ? inner : [`if (r2 < ${literal(loop.reach2)}) {`, ...indent(inner, 1), `}`];
}

function exclusionLocals(loop: PairLoopSpec): string[] {
  return loop.exclude ? [`const exStart = ws.topology.exclusions.start, exList = ws.topology.exclusions.list;`] : [];
}

function gridKernel(loop: PairLoopSpec, box: PeriodicBox | null): string[] {
  const S = loop.stride;
  const slots = iSlots(loop);
  const wrapAxis = (g: string, n: string, sh: string, L: number) =>
    `if (${g} < 0) { ${g} += ${n}; ${sh} = ${literal(-L)}; } else if (${g} >= ${n}) { ${g} -= ${n}; ${sh} = ${literal(L)}; }`;
  const neighbour = box
    ? [
        `let shx = 0, shy = 0, shz = 0;`,
        wrapAxis('gx', 'nx', 'shx', box.length[0]),
        wrapAxis('gy', 'ny', 'shy', box.length[1]),
        wrapAxis('gz', 'nz', 'shz', box.length[2]),
      ]
    : [`if (gx < 0 || gx >= nx || gy < 0 || gy >= ny || gz < 0 || gz >= nz) continue;`];
  const position = box
    ? [`const xi = P[b] - shx, yi = P[b + 1] - shy, zi = P[b + 2] - shz;`]
    : [`const xi = P[b], yi = P[b + 1], zi = P[b + 2];`];
  return [
    `function pairGrid(ws, cLo, cHi, buf) {`,
    `  const G = ws.pair, P = G.gridPack, start = G.cellStart, order = G.order, gp = G.params;`,
    `  const nx = gp[0], ny = gp[1], nz = gp[2];`,
    ...indent(exclusionLocals(loop), 1),
    `  for (let c = cLo; c < cHi; c++) {`,
    `    const s0 = start[c], s1 = start[c + 1];`,
    `    if (s0 === s1) continue;`,
    `    const cx = c % nx, cyz = (c - cx) / nx, cy = cyz % ny, cz = (cyz - cy) / ny;`,
    `    for (let nb = 0; nb < ${HALF_SHELL.length}; nb += 3) {`,
    `      let gx = cx + HALF[nb], gy = cy + HALF[nb + 1], gz = cz + HALF[nb + 2];`,
    ...indent(neighbour, 3),
    `      const nc = gx + nx * (gy + ny * gz);`,
    `      const t0 = start[nc], t1 = start[nc + 1];`,
    `      for (let si = s0; si < s1; si++) {`,
    `        const b = ${S} * si;`,
    ...indent(position, 4),
    ...slots.map((slot) => `        const pi${slot} = P[b + ${3 + slot}];`),
    ...(loop.exclude ? [`        const ii = order[si];`] : []),
    `        let sumX = 0, sumY = 0, sumZ = 0;`,
    `        for (let sj = nb === 0 ? si + 1 : t0; sj < t1; sj++) {`,
    `          const k = ${S} * sj;`,
    `          const dx = P[k] - xi, dy = P[k + 1] - yi, dz = P[k + 2] - zi;`,
    `          const r2 = dx * dx + dy * dy + dz * dz;`,
    ...indent(pairBody(loop, 'sj', { i: 'ii', j: 'jj' }, [`const jj = order[sj];`]), 5),
    `        }`,
    `        const q = 3 * si;`,
    `        buf[q] += sumX;`,
    `        buf[q + 1] += sumY;`,
    `        buf[q + 2] += sumZ;`,
    `      }`,
    `    }`,
    `  }`,
    `}`,
  ];
}

function rowKernel(name: string, loop: PairLoopSpec, box: PeriodicBox | null): string[] {
  const S = loop.stride;
  const slots = iSlots(loop);
  const delta = box
    ? [
        `let dx = P[k] - xi, dy = P[k + 1] - yi, dz = P[k + 2] - zi;`,
        `dx -= ${literal(box.length[0])} * Math.round(dx / ${literal(box.length[0])});`,
        `dy -= ${literal(box.length[1])} * Math.round(dy / ${literal(box.length[1])});`,
        `dz -= ${literal(box.length[2])} * Math.round(dz / ${literal(box.length[2])});`,
      ]
    : [`const dx = P[k] - xi, dy = P[k + 1] - yi, dz = P[k + 2] - zi;`];
  return [
    `function ${name}(ws, lo, hi, buf) {`,
    `  const P = ws.pair.rowPack, n = ws.count;`,
    ...indent(exclusionLocals(loop), 1),
    `  for (let i = lo; i < hi; i++) {`,
    `    const b = ${S} * i;`,
    `    const xi = P[b], yi = P[b + 1], zi = P[b + 2];`,
    ...slots.map((slot) => `    const pi${slot} = P[b + ${3 + slot}];`),
    `    let sumX = 0, sumY = 0, sumZ = 0;`,
    `    for (let j = i + 1; j < n; j++) {`,
    `      const k = ${S} * j;`,
    ...indent(delta, 3),
    `      const r2 = dx * dx + dy * dy + dz * dz;`,
    ...indent(pairBody(loop, 'j', { i: 'i', j: 'j' }, []), 3),
    `    }`,
    `    const q = 3 * i;`,
    `    buf[q] += sumX;`,
    `    buf[q + 1] += sumY;`,
    `    buf[q + 2] += sumZ;`,
    `  }`,
    `}`,
  ];
}

function bondColumn(base: string): string {
  return base === 'm' ? 'mass' : base === 'radius' ? 'radius' : `ws.attributes[${str(base)}]`;
}

function bondKernel(spec: BondSpec, box: PeriodicBox | null): string[] {
  const bases = [...new Set(spec.variables.flatMap((v) => (v.source.from === 'i' || v.source.from === 'j' ? [v.source.base] : [])))];
  const perBond = [...new Set(spec.variables.flatMap((v) => (v.source.from === 'bond' ? [v.source.name] : [])))];
  const read = (source: TwoBodySource): string => {
    switch (source.from) {
      case 'r':
        return 'Math.sqrt(r2)';
      case 'r2':
        return 'r2';
      case 'ir2':
        return '1 / r2';
      case 'i':
        return `col${bases.indexOf(source.base)}[i]`;
      case 'j':
        return `col${bases.indexOf(source.base)}[j]`;
      case 'bond':
        return `par${perBond.indexOf(source.name)}[b]`;
      default:
        return unreachable(source, 'variable source');
    }
  };
  const { statements, outputs } = program(spec.program);
  const image = box
    ? [0, 1, 2].map((a) => {
        const d = ['dx', 'dy', 'dz'][a];
        return `${d} -= ${literal(box.length[a])} * Math.round(${d} / ${literal(box.length[a])});`;
      })
    : [];
  return [
    `function bond${spec.term}(ws, lo, hi, buf) {`,
    `  const T = ws.topology.bonds[${spec.term}], bi = T.i, bj = T.j;`,
    `  const px = ws.px, py = ws.py, pz = ws.pz, mass = ws.mass, radius = ws.radius;`,
    ...bases.map((base, k) => `  const col${k} = ${bondColumn(base)};`),
    ...perBond.map((name, k) => `  const par${k} = T.params[${str(name)}];`),
    `  for (let b = lo; b < hi; b++) {`,
    `    const i = bi[b], j = bj[b];`,
    `    let dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];`,
    ...indent(image, 2),
    `    const r2 = dx * dx + dy * dy + dz * dz;`,
    ...spec.variables.map((v) => `    const ${jsName(v.name)} = ${read(v.source)};`),
    ...indent(statements, 2),
    `    const s = ${outputs[0]};`,
    `    const qi = 3 * i, qj = 3 * j;`,
    `    buf[qi] += s * dx;`,
    `    buf[qi + 1] += s * dy;`,
    `    buf[qi + 2] += s * dz;`,
    `    buf[qj] -= s * dx;`,
    `    buf[qj + 1] -= s * dy;`,
    `    buf[qj + 2] -= s * dz;`,
    `  }`,
    `}`,
  ];
}

function programs(spec: ForceSpec): Program[] {
  const list: Program[] = [];
  if (spec.particle) list.push(spec.particle.program);
  if (spec.velocity) list.push(spec.velocity.program);
  for (const loop of [spec.grid, spec.rows]) if (loop) list.push(...loop.terms.map((t) => t.program));
  list.push(...spec.bonds.map((b) => b.program));
  return list;
}

/** The body of a `new Function` returning the kernels object (see ForceKernels). */
export function generateSource(spec: ForceSpec): string {
  const erf = programs(spec).some((p) => [...p.temps.map((t) => t.expr), ...p.outputs].some(usesErf));
  const lines: string[] = ['"use strict";'];
  if (erf) lines.push(JS_PRELUDE);
  lines.push(`const HALF = new Int32Array([${HALF_SHELL.join(', ')}]);`);
  const names: Record<string, string> = {
    particle: 'null',
    velocity: 'null',
    pairGrid: 'null',
    pairRows: 'null',
    pairRowsPeriodic: 'null',
  };
  if (spec.particle) {
    lines.push(...particleKernel('particle', spec.particle, 'f'));
    names.particle = 'particle';
  }
  if (spec.velocity) {
    lines.push(...particleKernel('velocity', spec.velocity, 'a'));
    names.velocity = 'velocity';
  }
  if (spec.grid) {
    lines.push(...gridKernel(spec.grid, spec.periodic));
    names.pairGrid = 'pairGrid';
  }
  if (spec.rows) {
    lines.push(...rowKernel('pairRows', spec.rows, null));
    names.pairRows = 'pairRows';
  }
  if (spec.periodicRows) {
    lines.push(...rowKernel('pairRowsPeriodic', spec.periodicRows, spec.periodic));
    names.pairRowsPeriodic = 'pairRowsPeriodic';
  }
  for (const b of spec.bonds) lines.push(...bondKernel(b, spec.periodic));
  const bonds = spec.bonds.map((b) => `bond${b.term}`).join(', ');
  lines.push(
    `return { mode: "js", particle: ${names.particle}, velocity: ${names.velocity}, pairGrid: ${names.pairGrid}, pairRows: ${names.pairRows}, pairRowsPeriodic: ${names.pairRowsPeriodic}, bonds: [${bonds}] };`,
  );
  return lines.join('\n');
}
