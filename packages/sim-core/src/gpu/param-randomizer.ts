import { assembleShader, RandomizeConfig, structView } from '@gripgen/shaders';
import type { Range } from '../random/randomization.js';
import { createBufferWithData } from './buffers.js';
import { createComputePipeline } from './compile-shader.js';

const WORKGROUP = 64;
const MAX_GROUPS_X = 65535;

/** Arguments of one {@link ParamRandomizer.run}. */
export interface RandomizeArgs {
  readonly seed: number;
  readonly numWorlds: number;
  /** `numWorlds` u32 episode indices (STORAGE usage); 0xFFFFFFFF keeps that world's row as it is. */
  readonly episodes: GPUBuffer;
  /** Output, `numWorlds * numParams` f32, world-major (STORAGE usage). */
  readonly params: GPUBuffer;
}

/**
 * Draws world-major parameter tables on the GPU with the `randomize-params` kernel:
 * `params[w * numParams + id] = uniformRange(ranges[id], seed, episodes[w], w, id)`, the
 * same bits as the TS draws (e.g. `drawPickPlaceParams`).
 */
export interface ParamRandomizer {
  readonly numParams: number;
  /** Encodes and submits one draw (its own command buffer, so runs never share uniforms). */
  run(args: RandomizeArgs): void;
  /** Frees the ranges and uniform buffers. */
  destroy(): void;
}

/** Compiles the kernel and uploads the [min, max] of each parameter column (rounded to f32, as the TS draw does). */
export async function createParamRandomizer(device: GPUDevice, ranges: readonly Range[]): Promise<ParamRandomizer> {
  if (ranges.length === 0) throw new Error('createParamRandomizer: no ranges');
  const pipeline = await createComputePipeline(device, assembleShader('randomize-params'), 'randomizeParams');
  const rangeBuffer = createBufferWithData(
    device,
    Float32Array.from(ranges.flatMap((r) => [r.min, r.max])),
    GPUBufferUsage.STORAGE,
    'randomize-params ranges',
  );
  const uniformBuffer = device.createBuffer({
    label: 'randomize-params config',
    size: RandomizeConfig.size,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  const config = structView(RandomizeConfig, new ArrayBuffer(RandomizeConfig.size));
  return {
    numParams: ranges.length,
    run({ seed, numWorlds, episodes, params }) {
      if (numWorlds <= 0) return;
      config.write(0, 'seed', seed >>> 0);
      config.write(0, 'numWorlds', numWorlds);
      config.write(0, 'numParams', ranges.length);
      config.write(0, 'opaqueZero', 0);
      device.queue.writeBuffer(uniformBuffer, 0, config.u32.buffer, config.u32.byteOffset, config.u32.byteLength);
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: uniformBuffer } },
          { binding: 1, resource: { buffer: rangeBuffer } },
          { binding: 2, resource: { buffer: episodes } },
          { binding: 3, resource: { buffer: params } },
        ],
      });
      const groups = Math.ceil(numWorlds / WORKGROUP);
      const x = Math.min(groups, MAX_GROUPS_X);
      const encoder = device.createCommandEncoder({ label: 'randomize-params' });
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(x, Math.ceil(groups / x));
      pass.end();
      device.queue.submit([encoder.finish()]);
    },
    destroy() {
      rangeBuffer.destroy();
      uniformBuffer.destroy();
    },
  };
}
