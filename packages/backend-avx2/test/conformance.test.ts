import { avx2Backend } from '@brokenrecord/backend-avx2';
import { tsBackend } from '@brokenrecord/backend-ts';
import { defineConformanceSuite } from '@brokenrecord/conformance';

// Default threads (every available core), then single-threaded.
defineConformanceSuite({ backend: avx2Backend, reference: tsBackend });
defineConformanceSuite({ backend: avx2Backend, reference: tsBackend, options: { threads: 1 }, label: '1 thread' });
