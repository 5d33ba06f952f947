import { tsBackend } from '@brokenrecord/backend-ts';
import { defineConformanceSuite } from '@brokenrecord/conformance';
import { it } from 'vitest';

// The conformance suite once more on avx2 with the expression terms run by the addon's
// interpreter (BROKENRECORD_AVX2_CODEGEN=interpreter), as on a machine without a C++ compiler:
// every expression case, the periodic cases and the expression fuzz then go through the bytecode.
// The variable is read when the backend picks its path, so it is set before the package loads.
process.env.BROKENRECORD_AVX2_CODEGEN = 'interpreter';
const { avx2Backend } = await import('@brokenrecord/backend-avx2');

if (process.env.BROKENRECORD_GENERATED_SANITIZE === '1') {
  // Under the sanitizers the whole suite twice would take minutes; interpreter.test.ts runs the interpreter there.
  it.skip('conformance with interpreted expression terms (not repeated under the sanitizers: see interpreter.test.ts)', () => {});
} else {
  defineConformanceSuite({ backend: avx2Backend, reference: tsBackend, label: 'expression terms interpreted' });
}
