import { defineConformanceSuite } from '@brokenrecord/conformance';
import { tsBackend } from '../dist/index.js';

// The TypeScript backend is its own reference: single-threaded it must pass every case and agree
// with itself; with worker threads it must agree with the single-threaded run.
defineConformanceSuite({ backend: tsBackend, reference: tsBackend });
defineConformanceSuite({ backend: tsBackend, reference: tsBackend, options: { threads: 2 }, label: '2 threads' });
