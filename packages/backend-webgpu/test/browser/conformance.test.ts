import { tsBackend } from '@brokenrecord/backend-ts';
import { defineConformanceSuite } from '@brokenrecord/conformance';
import { webgpuBackend } from '../../dist/index.js';

defineConformanceSuite({ backend: webgpuBackend, reference: tsBackend });
