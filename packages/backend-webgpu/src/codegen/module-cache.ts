import type { Layouts } from '../bindings.js';
import type { CustomEntry, CustomModule } from './custom-module.js';

/** The compute pipelines of one generated module, by entry point. */
export interface CustomKernels {
  pipelines: Partial<Record<CustomEntry, GPUComputePipeline>>;
  /** The WGSL they were built from. */
  source: string;
  /** This simulation found the module already compiled on its device (no shader or pipeline was created). */
  reused: boolean;
}

/** What the shader cache did since the process started (a test hook; see `webgpuShaderCache`). */
export interface ShaderCacheStats {
  /** Generated WGSL modules compiled (createShaderModule). */
  modulesCompiled: number;
  /** Compute pipelines created for them. */
  pipelinesCreated: number;
  /** Simulations whose generated module was found compiled already. */
  reuses: number;
}

const stats: ShaderCacheStats = { modulesCompiled: 0, pipelinesCreated: 0, reuses: 0 };

/** Counters of the generated-shader cache, for tests and diagnostics. */
export function webgpuShaderCache(): Readonly<ShaderCacheStats> {
  return { ...stats };
}

type Built = Omit<CustomKernels, 'reused'>;

/**
 * Compiled generated modules per device, keyed by their WGSL source: two simulations of the same
 * system (or of two systems that generate the same code) share one shader module and one set of
 * pipelines while the device lives. The device is what compiled them; a lost or released device
 * takes its entries with it.
 */
const cache = new WeakMap<GPUDevice, Map<string, Promise<Built>>>();

export async function customKernelsFor(device: GPUDevice, layouts: Layouts, module: CustomModule): Promise<CustomKernels> {
  let modules = cache.get(device);
  if (!modules) {
    modules = new Map();
    cache.set(device, modules);
  }
  const hit = modules.get(module.source);
  if (hit) {
    const built = await hit;
    stats.reuses++;
    return { ...built, reused: true };
  }
  const building = build(device, layouts, module);
  modules.set(module.source, building);
  building.catch(() => modules.delete(module.source));
  return { ...(await building), reused: false };
}

async function build(device: GPUDevice, layouts: Layouts, module: CustomModule): Promise<Built> {
  device.pushErrorScope('validation');
  const shader = device.createShaderModule({ label: 'brokenrecord generated', code: module.source });
  stats.modulesCompiled++;
  const moduleError = await device.popErrorScope();
  if (moduleError) throw new Error(`the generated WGSL does not compile: ${await compilerMessages(shader, moduleError.message)}`);
  const built = await Promise.all(
    module.entries.map(async (entryPoint) => {
      try {
        const pipeline = await device.createComputePipelineAsync({
          label: `brokenrecord ${entryPoint}`,
          layout: layouts.customPipeline,
          compute: { module: shader, entryPoint },
        });
        stats.pipelinesCreated++;
        return [entryPoint, pipeline] as const;
      } catch (error) {
        throw new Error(
          `generated kernel '${entryPoint}' failed to compile: ${await compilerMessages(shader, error instanceof Error ? error.message : String(error))}`,
        );
      }
    }),
  );
  return { pipelines: Object.fromEntries(built), source: module.source };
}

async function compilerMessages(module: GPUShaderModule, base: string): Promise<string> {
  try {
    const info = await module.getCompilationInfo();
    const lines = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    return lines.length ? `${base}\n${lines.join('\n')}` : base;
  } catch {
    return base;
  }
}
