import { obtainGpu, vulkanDriverHint, type GpuSource } from './environment.js';
import { missingLimits, REQUIRED_LIMITS } from './limits.js';

/**
 * One GPUDevice per process, shared by every simulation of this backend (and its probe):
 * compiled pipelines are kept per device, so simulations created one after another reuse them.
 * It stays open when the last user lets go (opening a device per simulation leaked driver threads
 * and memory); an idle device does not keep Node from exiting. A lost device is forgotten at
 * once; the next user gets a new one.
 */
export interface DeviceLease {
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  readonly description: string;
  readonly origin: GpuSource['origin'];
  /** Called once if the device is lost (not when this lease's own release destroyed it). */
  onLost(listener: (reason: string) => void): void;
  /** Called for every error no error scope caught. */
  onUncapturedError(listener: (message: string) => void): void;
  release(): void;
}

interface Shared {
  source: GpuSource;
  adapter: GPUAdapter;
  device: GPUDevice;
  description: string;
  users: number;
  retired: boolean;
  lostListeners: Set<(reason: string) => void>;
  errorListeners: Set<(message: string) => void>;
}

let pending: Promise<Shared> | null = null;
/** What `pending` resolved to, so that retiring it can forget it synchronously. */
let opened: Shared | null = null;

/** Why no device could be had: the probe's reason. */
export class NoDeviceError extends Error {}

export async function acquireDevice(): Promise<DeviceLease> {
  pending ??= openDevice().then(
    (shared) => (opened = shared),
    (error: unknown) => {
      pending = null;
      throw error;
    },
  );
  const shared = await pending;
  shared.users++;
  const lost = new Set<(reason: string) => void>();
  const errors = new Set<(message: string) => void>();
  let released = false;
  return {
    device: shared.device,
    adapter: shared.adapter,
    description: shared.description,
    origin: shared.source.origin,
    onLost(listener) {
      lost.add(listener);
      shared.lostListeners.add(listener);
    },
    onUncapturedError(listener) {
      errors.add(listener);
      shared.errorListeners.add(listener);
    },
    release() {
      if (released) return;
      released = true;
      for (const l of lost) shared.lostListeners.delete(l);
      for (const l of errors) shared.errorListeners.delete(l);
      // The device stays open for the next simulation when the last user lets go: destroying it
      // and opening another leaked the driver's threads and memory every cycle (Dawn and
      // software Vulkan keep per-device pools until the process exits). An idle device with no
      // pending work does not keep Node running (test/exit.test.ts).
      shared.users--;
    },
  };
}

function retire(shared: Shared): void {
  if (shared.retired) return;
  shared.retired = true;
  if (opened === shared) {
    // Forget this device at once: the next acquire opens a new one (and this GPU object can be
    // collected) even if it comes before any promise settles.
    opened = null;
    pending = null;
  }
  shared.device.destroy();
}

async function openDevice(): Promise<Shared> {
  const source = await obtainGpu();
  if ('reason' in source) throw new NoDeviceError(source.reason);
  const adapter = await source.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new NoDeviceError(`no WebGPU adapter from ${source.origin}${vulkanDriverHint()}`);
  const problems = missingLimits(adapter.limits);
  if (problems.length) throw new NoDeviceError(`the WebGPU adapter's limits are too small: ${problems.join('; ')}`);
  const device = await adapter.requestDevice({
    label: 'brokenrecord',
    requiredLimits: {
      ...REQUIRED_LIMITS,
      // Ask for everything the adapter offers here: it sets the largest simulation.
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    },
  });
  const shared: Shared = {
    source,
    adapter,
    device,
    description: describeAdapter(adapter),
    users: 0,
    retired: false,
    lostListeners: new Set(),
    errorListeners: new Set(),
  };
  void device.lost.then((info) => {
    const wasRetired = shared.retired;
    retire(shared);
    if (wasRetired) return;
    const reason = `WebGPU device lost (${info.reason}): ${info.message || 'no message'}`;
    for (const listener of [...shared.lostListeners]) listener(reason);
  });
  device.onuncapturederror = (event: GPUUncapturedErrorEvent) => {
    for (const listener of [...shared.errorListeners]) listener(event.error.message);
  };
  return shared;
}

function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s): s is string => !!s);
  return parts.length ? [...new Set(parts)].join(' ') : 'unnamed adapter';
}
