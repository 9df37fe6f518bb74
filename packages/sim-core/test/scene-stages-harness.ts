import { assembleShader, CacheEntry, SolverBody, SolverContact as ContactRow, SolverWorld, structView } from '@gripgen/shaders';
import { compileShader, type GpuContext } from '../src/index.js';
import { readBuffer } from '../src/gpu/buffers.js';
import { dispatchWorlds, worldBuffer } from '../src/backends/webgpu/world-dispatch.js';
import type { PhysicsSettings } from '../src/backends/rapier/physics-settings.js';
import { CONTACT_MODEL } from '../src/backends/webgpu/physics-coefficients.js';
import { packWorldData, SCENE_BINDING_TYPES, sceneConfigBytes } from '../src/backends/webgpu/solver/solver-buffers.js';
import { coordStride, dataStride, solverModelWgsl } from '../src/backends/webgpu/solver/solver-model-wgsl.js';
import type { SolverModel } from '../src/backends/webgpu/solver/solver-model.js';
import type { SolverWorldData } from '../src/backends/webgpu/solver/solver-data.js';
import { makeSolverContact, type SolverContact } from '../src/backends/webgpu/solver/solver-contact.js';

/** The stage kernels of scene-stages.wgsl. */
export type StageName = 'stageContacts' | 'stageMatch' | 'stageSolve' | 'stageStabilize';
export const STAGES: readonly StageName[] = ['stageContacts', 'stageMatch', 'stageSolve', 'stageStabilize'];

const BODY = 13;

/** One world's input to a stage: its Data, a `SolverSpecWorld.snapshot()`, the contacts and the joint drives' impulses. */
export interface StageInput {
  data: SolverWorldData;
  snapshot: Float64Array;
  contacts: readonly SolverContact[];
  lDrive: ArrayLike<number>;
}

/** One world's state after a stage, as the kernel left it. */
export interface StageOutput {
  /** 13 floats per body: position, quaternion, linear and angular velocity. */
  bodies: Float32Array;
  /** Per joint: travel, rate. */
  joints: Float32Array;
  contacts: SolverContact[];
  lDrive: Float32Array;
  /** The world's flags (overflow bit). */
  flags: number;
}

/**
 * Runs the scene solver's stage kernels (scene-stages.wgsl) on worlds of one Model: uploads each
 * world's input, poisons every output row (NaN) the stage must write, dispatches one stage and
 * reads the worlds back.
 */
export class SceneStageKernels {
  private constructor(
    private readonly gpu: GpuContext,
    private readonly model: SolverModel,
    private readonly numWorlds: number,
    private readonly capacity: number,
    private readonly pipelines: Record<StageName, GPUComputePipeline>,
    private readonly bindGroups: Record<StageName, GPUBindGroup>,
    private readonly buffers: Record<'config' | 'bodies' | 'data' | 'drives' | 'worlds' | 'coords' | 'cache' | 'contacts' | 'stageIo', GPUBuffer>,
  ) {}

  static async create(gpu: GpuContext, model: SolverModel, numWorlds: number, physics: PhysicsSettings, capacity = 64): Promise<SceneStageKernels> {
    const { device } = gpu;
    const assembled = assembleShader('scene-stages');
    const module = await compileShader(device, { name: assembled.name, code: assembled.code + solverModelWgsl(model, capacity), locate: assembled.locate });
    const types: GPUBufferBindingType[] = [...SCENE_BINDING_TYPES, 'storage'];
    const layout = device.createBindGroupLayout({ entries: types.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } })) });
    const S = GPUBufferUsage.STORAGE;
    const nb = model.bodyNames.length;
    const buffers = {
      config: worldBuffer(device, 'stage config', sceneConfigBytes({ numWorlds, physics, capacity, movingPairPgsIterations: CONTACT_MODEL.movingPairPgsIterations }).byteLength, GPUBufferUsage.UNIFORM),
      bodies: worldBuffer(device, 'stage bodies', SolverBody.byteSize(numWorlds * nb), S),
      data: worldBuffer(device, 'stage data', 16 * numWorlds * dataStride(model), S),
      drives: worldBuffer(device, 'stage drives', 64 * numWorlds, S),
      worlds: worldBuffer(device, 'stage worlds', SolverWorld.byteSize(numWorlds), S),
      coords: worldBuffer(device, 'stage coords', 4 * numWorlds * coordStride(model), S),
      cache: worldBuffer(device, 'stage cache', CacheEntry.byteSize(numWorlds * capacity), S),
      contacts: worldBuffer(device, 'stage contacts', ContactRow.byteSize(numWorlds * capacity), S),
      stageIo: worldBuffer(device, 'stage io', 4 * numWorlds * (1 + Math.max(1, model.joints.length)), S),
    };
    device.queue.writeBuffer(buffers.config, 0, sceneConfigBytes({ numWorlds, physics, capacity, movingPairPgsIterations: CONTACT_MODEL.movingPairPgsIterations }));
    const order = ['config', 'bodies', 'data', 'drives', 'worlds', 'coords', 'cache', 'contacts', 'stageIo'] as const;
    const pipelines = {} as Record<StageName, GPUComputePipeline>;
    const bindGroups = {} as Record<StageName, GPUBindGroup>;
    for (const stage of STAGES) {
      pipelines[stage] = await device.createComputePipelineAsync({
        label: stage,
        layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: stage },
      });
      bindGroups[stage] = device.createBindGroup({ layout, entries: order.map((name, binding) => ({ binding, resource: { buffer: buffers[name] } })) });
    }
    return new SceneStageKernels(gpu, model, numWorlds, capacity, pipelines, bindGroups, buffers);
  }

  /** Runs `stage` on every world from `inputs` (one per world); returns what each world holds after it. */
  async run(stage: StageName, inputs: readonly StageInput[]): Promise<StageOutput[]> {
    if (inputs.length !== this.numWorlds) throw new Error(`${inputs.length} inputs for ${this.numWorlds} worlds`);
    const { device } = this.gpu;
    const { model, capacity } = this;
    const nb = model.bodyNames.length;
    const nj = model.joints.length;
    const ioStride = 1 + Math.max(1, nj);
    const cs = coordStride(model);
    const bodies = structView(SolverBody, new ArrayBuffer(SolverBody.byteSize(this.numWorlds * nb)));
    const data = new Float32Array(4 * this.numWorlds * dataStride(model));
    const worlds = structView(SolverWorld, new ArrayBuffer(SolverWorld.byteSize(this.numWorlds)));
    const coords = new Float32Array(this.numWorlds * cs);
    const cache = structView(CacheEntry, new ArrayBuffer(CacheEntry.byteSize(this.numWorlds * capacity)));
    const contacts = structView(ContactRow, new ArrayBuffer(ContactRow.byteSize(this.numWorlds * capacity)));
    const io = new Float32Array(this.numWorlds * ioStride);
    contacts.f32.fill(NaN);
    inputs.forEach((input, w) => {
      const s = input.snapshot;
      for (let i = 0; i < nb; i++) {
        const o = i * BODY;
        bodies.write(w * nb + i, 'x', [s[o], s[o + 1], s[o + 2]]);
        bodies.write(w * nb + i, 'q', [s[o + 3], s[o + 4], s[o + 5], s[o + 6]]);
        bodies.write(w * nb + i, 'v', [s[o + 7], s[o + 8], s[o + 9]]);
        bodies.write(w * nb + i, 'w', [s[o + 10], s[o + 11], s[o + 12]]);
      }
      packWorldData(model, input.data, data.subarray(4 * w * dataStride(model)));
      let o = nb * BODY;
      for (let j = 0; j < nj; j++) {
        coords[w * cs + 2 * j] = s[o + j];
        coords[w * cs + 2 * j + 1] = s[o + nj + j];
      }
      o += 2 * nj;
      const driveTarget = s[o + 1];
      const cacheCount = s[o + 2];
      o += 4 + model.contactQueries.length;
      worlds.write(w, 'driveTarget', driveTarget);
      worlds.write(w, 'contactCount', cacheCount);
      worlds.write(w, 'flags', 0);
      for (let k = 0; k < cacheCount; k++, o += 7) {
        cache.write(w * capacity + k, 'pair', s[o]);
        cache.write(w * capacity + k, 'local', [s[o + 1], s[o + 2], s[o + 3]]);
        cache.write(w * capacity + k, 'impulse', [s[o + 4], s[o + 5], s[o + 6]]);
      }
      if (stage === 'stageContacts') {
        io.fill(NaN, w * ioStride, (w + 1) * ioStride);
      } else {
        io[w * ioStride] = input.contacts.length;
        input.contacts.forEach((c, k) => writeContact(contacts, w * capacity + k, c));
        for (let j = 0; j < nj; j++) io[w * ioStride + 1 + j] = input.lDrive[j];
      }
    });
    const q = device.queue;
    q.writeBuffer(this.buffers.bodies, 0, bodies.f32);
    q.writeBuffer(this.buffers.data, 0, data);
    q.writeBuffer(this.buffers.worlds, 0, worlds.f32);
    q.writeBuffer(this.buffers.coords, 0, coords);
    q.writeBuffer(this.buffers.cache, 0, cache.f32);
    q.writeBuffer(this.buffers.contacts, 0, contacts.f32);
    q.writeBuffer(this.buffers.stageIo, 0, io);
    const encoder = device.createCommandEncoder();
    dispatchWorlds(encoder, this.pipelines[stage], this.bindGroups[stage], this.numWorlds, 64);
    q.submit([encoder.finish()]);
    this.gpu.check();
    const [bodiesOut, worldsOut, coordsOut, contactsOut, ioOut] = await Promise.all([
      readBuffer(device, this.buffers.bodies, bodies.f32.byteLength),
      readBuffer(device, this.buffers.worlds, worlds.f32.byteLength),
      readBuffer(device, this.buffers.coords, coords.byteLength),
      readBuffer(device, this.buffers.contacts, contacts.f32.byteLength),
      readBuffer(device, this.buffers.stageIo, io.byteLength),
    ]);
    const bv = structView(SolverBody, bodiesOut);
    const wv = structView(SolverWorld, worldsOut);
    const cv = structView(ContactRow, contactsOut);
    const coordsF = new Float32Array(coordsOut);
    const ioF = new Float32Array(ioOut);
    return inputs.map((_, w) => {
      const b = new Float32Array(nb * BODY);
      for (let i = 0; i < nb; i++) {
        b.set(bv.read(w * nb + i, 'x') as number[], i * BODY);
        b.set(bv.read(w * nb + i, 'q') as number[], i * BODY + 3);
        b.set(bv.read(w * nb + i, 'v') as number[], i * BODY + 7);
        b.set(bv.read(w * nb + i, 'w') as number[], i * BODY + 10);
      }
      const count = ioF[w * ioStride];
      if (!(Number.isInteger(count) && count >= 0 && count <= capacity)) throw new Error(`${stage}: world ${w} left ${count} as its contact count`);
      return {
        bodies: b,
        joints: coordsF.slice(w * cs, w * cs + 2 * nj),
        contacts: Array.from({ length: count }, (_, k) => readContact(cv, w * capacity + k)),
        lDrive: ioF.slice(w * ioStride + 1, w * ioStride + 1 + nj),
        flags: wv.read(w, 'flags') as number,
      };
    });
  }

  destroy(): void {
    for (const b of Object.values(this.buffers)) b.destroy();
  }
}

type ContactView = ReturnType<typeof structView<(typeof ContactRow.fields)[number]['name']>>;

function writeContact(v: ContactView, row: number, c: SolverContact): void {
  for (const f of ['n', 't1', 't2', 'rA', 'rB', 'localA', 'localB', 'anchor', 'p'] as const) v.write(row, f, c[f]);
  for (const f of ['d0', 'mu', 'kN', 'kT1', 'kT2', 'kT12', 'lN', 'lT1', 'lT2'] as const) v.write(row, f, c[f]);
  v.write(row, 'pair', c.pair);
  v.write(row, 'a', c.a);
  v.write(row, 'b', c.b);
  v.write(row, 'locked', (c.lockedA ? 1 : 0) | (c.lockedB ? 2 : 0));
}

function readContact(v: ContactView, row: number): SolverContact {
  const c = makeSolverContact();
  for (const f of ['n', 't1', 't2', 'rA', 'rB', 'localA', 'localB', 'anchor', 'p'] as const) c[f] = v.read(row, f) as number[];
  for (const f of ['d0', 'mu', 'kN', 'kT1', 'kT2', 'kT12', 'lN', 'lT1', 'lT2'] as const) c[f] = v.read(row, f) as number;
  c.pair = v.read(row, 'pair') as number;
  c.a = v.read(row, 'a') as number;
  c.b = v.read(row, 'b') as number;
  const locked = v.read(row, 'locked') as number;
  c.lockedA = (locked & 1) !== 0;
  c.lockedB = (locked & 2) !== 0;
  return c;
}
