/**
 * WebGPU's numeric flags, spelled out here because in Node the `GPUBufferUsage`/`GPUMapMode`
 * globals exist only if the application copies the `webgpu` package's globals onto globalThis;
 * this backend never touches the application's globals.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;

export const ShaderStage = { COMPUTE: 0x4 } as const;

/** WebGPU's guaranteed ceiling on workgroups per dispatch dimension; larger grids go 2-D. */
export const MAX_WORKGROUPS_PER_DIMENSION = 65535;
