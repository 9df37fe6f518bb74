import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireGpu,
  findSwiftShaderIcd,
  GpuDeviceError,
  GpuUnavailableError,
  resolveAdapterChoice,
  type GpuContext,
} from '../src/index.js';
import { dawnInstanceCount } from '../src/gpu/node-adapter.js';

describe('adapter choice', () => {
  it('takes the option, else GRIPGEN_ADAPTER, else auto', () => {
    expect(resolveAdapterChoice(undefined, undefined)).toBe('auto');
    expect(resolveAdapterChoice(undefined, ' swiftshader ')).toBe('swiftshader');
    expect(resolveAdapterChoice('gpu', 'swiftshader')).toBe('gpu');
    expect(() => resolveAdapterChoice(undefined, 'cuda')).toThrow(/GRIPGEN_ADAPTER must be auto, gpu or swiftshader/);
  });

  it('names what to install when no SwiftShader ICD is usable', () => {
    expect(() => findSwiftShaderIcd({ GRIPGEN_SWIFTSHADER_ICD: '/nonexistent/vk_swiftshader_icd.json' })).toThrow(GpuUnavailableError);
    expect(findSwiftShaderIcd({})).toMatch(/vk_swiftshader_icd\.json$/);
  });
});

describe('acquireGpu (SwiftShader on GPU-less machines)', () => {
  let gpu: GpuContext;
  const notices: string[] = [];
  const icdBefore = process.env.VK_ICD_FILENAMES;
  const driversBefore = process.env.VK_DRIVER_FILES;

  beforeAll(async () => {
    gpu = await acquireGpu({ onNotice: (line) => notices.push(line) });
  });
  afterAll(() => gpu?.release());

  it('describes the adapter and notices a software fallback on one line', () => {
    expect(gpu.adapterInfo).toEqual(
      expect.objectContaining({ vendor: expect.any(String), architecture: expect.any(String), isSoftware: expect.any(Boolean) }),
    );
    if (gpu.adapterInfo.isSoftware) {
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/SwiftShader|software/);
      expect(notices[0]).not.toContain('\n');
    } else {
      expect(notices).toEqual([]);
    }
  });

  it('restores the Vulkan driver variables after selecting SwiftShader', () => {
    expect(process.env.VK_ICD_FILENAMES).toBe(icdBefore);
    expect(process.env.VK_DRIVER_FILES).toBe(driversBefore);
  });

  it('records uncaptured validation errors and throws them from check(), once', async () => {
    gpu.check();
    gpu.device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE }); // invalid combination
    await gpu.device.queue.onSubmittedWorkDone();
    await new Promise((r) => setTimeout(r, 20));
    expect(gpu.errors.length).toBeGreaterThan(0);
    expect(() => gpu.check()).toThrow(GpuDeviceError);
    expect(() => gpu.check()).not.toThrow();
  });

  it('forced swiftshader gives a software adapter; gpu without hardware is a clear error', async () => {
    const sw = await acquireGpu({ adapter: 'swiftshader', onNotice: () => {} });
    try {
      expect(sw.adapterInfo.isSoftware).toBe(true);
      expect(sw.adapterInfo.architecture).toBe('swiftshader');
    } finally {
      sw.release();
    }
    if (gpu.adapterInfo.isSoftware) {
      await expect(acquireGpu({ adapter: 'gpu' })).rejects.toThrow(/no hardware GPU adapter/);
    }
  });

  it('surfaces device loss through check() (but not loss by release)', async () => {
    const other = await acquireGpu({ adapter: 'swiftshader', onNotice: () => {} });
    other.device.destroy(); // lost without release(): a backend must notice
    await other.device.lost;
    await new Promise((r) => setTimeout(r, 0));
    expect(other.lost).toBe(true);
    expect(() => other.check()).toThrow(/device lost/);
    other.release();

    const third = await acquireGpu({ adapter: 'swiftshader', onNotice: () => {} });
    third.release();
    await third.device.lost;
    await new Promise((r) => setTimeout(r, 0));
    expect(third.lost).toBe(false);
    expect(() => third.check()).not.toThrow();
  });

  it('reuses one Dawn instance per driver selection (dropped instances crashed the process at random)', async () => {
    const before = dawnInstanceCount();
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) {
      const again = await acquireGpu({ adapter: 'swiftshader', onNotice: () => {} });
      again.device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
      await again.device.queue.onSubmittedWorkDone();
      again.release();
    }
    expect(dawnInstanceCount()).toBe(before);
  });
});
