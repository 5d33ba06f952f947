export * from './configuration.js';
export * from './reference.js';
export * from './lammps.js';
export * from './lj-lammps.js';
export * from './brokenrecord.js';
export { mulberry32 } from './random.js';
