/**
 * The conformance suite reads its switches (BROKENRECORD_REQUIRE, BROKENRECORD_BACKEND) from
 * process.env, which pages do not have. Vitest hands the project's test.env to the page as
 * import.meta.env; this setup file exposes it as process.env, and nothing else of `process`
 * (code that checks process.versions.node still sees a browser).
 */
const g = globalThis as { process?: { env: Record<string, string | undefined> } };
if (!g.process) g.process = { env: { ...(import.meta as unknown as { env: Record<string, string | undefined> }).env } };
