/**
 * Stand-ins for the Node modules the conformance suite's file-snapshot case imports. Browsers have
 * no filesystem: that one case is left out of the browser project (vitest.browser.config.ts), and
 * these exist only so the suite's modules load. Calling any of them is a bug, so each throws.
 */
function unavailable(name: string): never {
  throw new Error(`${name}: there is no filesystem in the browser`);
}

export const mkdtemp = (): never => unavailable('mkdtemp');
export const readdir = (): never => unavailable('readdir');
export const rm = (): never => unavailable('rm');
export const readFile = (): never => unavailable('readFile');
export const writeFile = (): never => unavailable('writeFile');
export const rename = (): never => unavailable('rename');
export const tmpdir = (): never => unavailable('tmpdir');
export const join = (): never => unavailable('join');
export default {};
