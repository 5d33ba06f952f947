/**
 * The platform a prebuilt binary is built for, as the folder name under `prebuilds/`:
 * `<platform>-<arch>` plus `-glibc` or `-musl` on Linux (a glibc binary does not load on musl).
 */
export function platformTag(): string {
  const base = `${process.platform}-${process.arch}`;
  if (process.platform !== 'linux') return base;
  return `${base}-${linuxLibc()}`;
}

/** glibc when Node itself runs on glibc (its report names the runtime version), else musl. */
export function linuxLibc(): 'glibc' | 'musl' {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
}
