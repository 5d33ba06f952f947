import { cudaBackend, deviceUnavailableReason, type DeviceReport } from '@brokenrecord/backend-cuda';
import { describe, expect, it } from 'vitest';

const report = (over: Partial<DeviceReport>): DeviceReport => ({
  builtWithCuda: true,
  count: 0,
  error: 0,
  errorName: '',
  errorText: '',
  runtimeVersion: 13000,
  driverVersion: 0,
  devices: [],
  ...over,
});

describe('cuda probe', () => {
  it("turns the runtime's answer into a reason", () => {
    expect(deviceUnavailableReason(report({ builtWithCuda: false }))).toMatch(/^built without CUDA/);
    expect(
      deviceUnavailableReason(
        report({
          error: 35,
          errorName: 'cudaErrorInsufficientDriver',
          errorText: 'CUDA driver version is insufficient for CUDA runtime version',
        }),
      ),
    ).toBe(
      'no CUDA device (cudaGetDeviceCount: CUDA driver version is insufficient for CUDA runtime version, cudaErrorInsufficientDriver error 35)',
    );
    expect(deviceUnavailableReason(report({}))).toMatch(/found 0 devices/);
    expect(deviceUnavailableReason(report({ count: 1, devices: [{ name: 'GPU', major: 9, minor: 0, memory: 2 ** 34 }] }))).toBeNull();
  });

  it('never throws: available with device features, or a reason', async () => {
    const probe = await cudaBackend.probe();
    if (probe.available) expect(probe.features?.some((f) => f.startsWith('compute-capability:'))).toBe(true);
    else expect(probe.reason).toMatch(/built without CUDA|no CUDA device|native addon/);
  });
});
