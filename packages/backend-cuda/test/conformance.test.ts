import { cudaBackend } from '@brokenrecord/backend-cuda';
import { tsBackend } from '@brokenrecord/backend-ts';
import { defineConformanceSuite } from '@brokenrecord/conformance';

// On the GPU. Without one every case is skipped with the probe's reason, unless
// BROKENRECORD_REQUIRE lists cuda (then unavailability fails the run).
defineConformanceSuite({ backend: cudaBackend, reference: tsBackend });
