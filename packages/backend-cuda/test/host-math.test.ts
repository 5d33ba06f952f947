import { cudaHostBackend } from '@brokenrecord/backend-cuda';
import { tsBackend } from '@brokenrecord/backend-ts';
import { defineConformanceSuite } from '@brokenrecord/conformance';

// The CUDA kernels' per-particle and per-pair functions, run by the host executor: the device
// math checked against the reference on any machine. It must be available wherever the package
// built (it needs no GPU), so it is always required here.
process.env.BROKENRECORD_REQUIRE = [process.env.BROKENRECORD_REQUIRE, 'cuda-host'].filter(Boolean).join(',');
defineConformanceSuite({ backend: cudaHostBackend, reference: tsBackend, label: 'host build of the CUDA kernels' });
