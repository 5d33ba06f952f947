import type { BackendOptions } from '@brokenrecord/core';

export const ISAS = ['scalar', 'avx2', 'avx512'] as const;
export type Isa = (typeof ISAS)[number];

export interface Avx2BackendOptions extends BackendOptions {
  /** Force an instruction set (default: the widest this CPU and OS support). */
  isa?: Isa;
  /** Step fusion for per-particle systems (default true); off only to test that it changes nothing. */
  fuse?: boolean;
}

/**
 * BROKENRECORD_AVX2_ISA=scalar|avx2|avx512 forces the kernels (tests, or a machine where a wide
 * path misbehaves); unset or empty means the best available. Anything else is an error.
 */
export function isaFromEnvironment(env: Record<string, string | undefined> = process.env): Isa | '' {
  const value = (env.BROKENRECORD_AVX2_ISA ?? '').trim();
  if (value === '') return '';
  if (!(ISAS as readonly string[]).includes(value)) {
    throw new Error(`BROKENRECORD_AVX2_ISA=${value} is not one of ${ISAS.join(', ')}`);
  }
  return value as Isa;
}
