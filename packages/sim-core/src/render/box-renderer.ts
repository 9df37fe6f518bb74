import { assembleShader, BoxInstance, RenderFrame } from '@gripgen/shaders';
import type { mat4 } from 'gl-matrix';
import { compileShader } from '../gpu/compile-shader.js';
import { boundsIsEmpty, type BoxBatch } from './box-batch.js';
import { fitDirectionalLight } from './directional-light.js';

/** Vertices drawn per box (6 faces × 2 triangles × 3). */
const VERTICES_PER_BOX = 36;
const SHADOW_FORMAT: GPUTextureFormat = 'depth32float';
const DEPTH_FORMAT: GPUTextureFormat = 'depth24plus';

/** Lighting of a view. */
export interface Lighting {
  /** Direction the sunlight travels (need not be unit length). */
  direction: [number, number, number];
  /** Sunlight strength on a face turned to the sun. */
  sunIntensity: number;
  /** Ambient light on faces looking up and down (a sky/ground hemisphere). */
  ambientSky: number;
  ambientGround: number;
  /** How much box edges darken (0 … 1): one-pixel outlines that separate faces. */
  edgeDarkening: number;
  /** Spacing of the grid lines on ground boxes (m). */
  gridSpacing: number;
}

/**
 * Sun from behind the viewer's left shoulder, high enough that shadows fall short and near the
 * objects casting them. Sun + sky ambient stays ≤ 1, so lit colours never clip (and keep their hue).
 */
export const DEFAULT_LIGHTING: Readonly<Lighting> = {
  direction: [-0.35, 0.45, -1],
  sunIntensity: 0.68,
  ambientSky: 0.32,
  ambientGround: 0.18,
  edgeDarkening: 0.25,
  gridSpacing: 0.1,
};

/** Options of {@link BoxRenderer.create}. */
export interface BoxRendererOptions {
  /** Format of the colour targets; a non-sRGB format (the shader writes sRGB itself). */
  colorFormat: GPUTextureFormat;
  /** Multisampling of the colour pass: 1 or 4 (default 4). */
  sampleCount?: 1 | 4;
}

/** Options of {@link BoxRenderer.createView}. */
export interface BoxViewOptions {
  /** Side of the square shadow map in texels (default 2048). */
  shadowMapSize?: number;
  label?: string;
}

/** What a view is seen through: the world → clip matrix. */
export interface ViewCamera {
  viewProj: mat4;
}

/** Per-frame options of {@link BoxView.encode}. */
export interface EncodeOptions {
  /** Background colour (sRGB). Default a light grey-blue. */
  clearColor?: readonly [number, number, number];
  lighting?: Lighting;
}

/**
 * Draws {@link BoxBatch}es with WebGPU: a depth-only pass from the sun into a shadow map, then a
 * multisampled colour pass (the `box-render` shader of @gripgen/shaders). Create once per
 * device; create one {@link BoxView} per canvas or target (each has its own buffers).
 *
 * ```ts
 * const renderer = await BoxRenderer.create(device, { colorFormat: navigator.gpu.getPreferredCanvasFormat() });
 * const view = renderer.createView();
 * const encoder = device.createCommandEncoder();
 * view.encode(encoder, context.getCurrentTexture(), boxes, { viewProj: camera.viewProjection(w / h) });
 * device.queue.submit([encoder.finish()]);
 * ```
 */
export class BoxRenderer {
  private constructor(
    /** The device every view draws with. */
    readonly device: GPUDevice,
    readonly colorFormat: GPUTextureFormat,
    readonly sampleCount: 1 | 4,
    /** @internal */ readonly frameLayout: GPUBindGroupLayout,
    /** @internal */ readonly shadowLayout: GPUBindGroupLayout,
    /** @internal */ readonly shadowPipeline: GPURenderPipeline,
    /** @internal */ readonly colorPipeline: GPURenderPipeline,
    /** @internal */ readonly shadowSampler: GPUSampler,
  ) {}

  /** Compiles the shader and builds both pipelines; throws `ShaderCompileError` naming the line on a compile error. */
  static async create(device: GPUDevice, options: BoxRendererOptions): Promise<BoxRenderer> {
    if (options.colorFormat.endsWith('-srgb')) {
      throw new Error(`BoxRenderer: colorFormat ${options.colorFormat} is an sRGB format; use its non-sRGB twin (the shader encodes sRGB)`);
    }
    const sampleCount = options.sampleCount ?? 4;
    const module = await compileShader(device, assembleShader('box-render'));
    const visibility = GPUShaderStage.VERTEX | GPUShaderStage.FRAGMENT;
    const frameLayout = device.createBindGroupLayout({
      label: 'box-render frame',
      entries: [
        { binding: 0, visibility, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.VERTEX, buffer: { type: 'read-only-storage' } },
      ],
    });
    const shadowLayout = device.createBindGroupLayout({
      label: 'box-render shadow map',
      entries: [
        { binding: 0, visibility: GPUShaderStage.FRAGMENT, texture: { sampleType: 'depth' } },
        { binding: 1, visibility: GPUShaderStage.FRAGMENT, sampler: { type: 'comparison' } },
      ],
    });
    device.pushErrorScope('validation');
    const [shadowPipeline, colorPipeline] = await Promise.all([
      device.createRenderPipelineAsync({
        label: 'box-render shadow',
        layout: device.createPipelineLayout({ bindGroupLayouts: [frameLayout] }),
        vertex: { module, entryPoint: 'vsShadow' },
        primitive: { topology: 'triangle-list', cullMode: 'back' },
        depthStencil: { format: SHADOW_FORMAT, depthWriteEnabled: true, depthCompare: 'less', depthBias: 2, depthBiasSlopeScale: 2 },
      }),
      device.createRenderPipelineAsync({
        label: 'box-render colour',
        layout: device.createPipelineLayout({ bindGroupLayouts: [frameLayout, shadowLayout] }),
        vertex: { module, entryPoint: 'vsMain' },
        fragment: { module, entryPoint: 'fsMain', targets: [{ format: options.colorFormat }] },
        primitive: { topology: 'triangle-list', cullMode: 'back' },
        depthStencil: { format: DEPTH_FORMAT, depthWriteEnabled: true, depthCompare: 'less' },
        multisample: { count: sampleCount },
      }),
    ]);
    const error = await device.popErrorScope();
    if (error) throw new Error(`BoxRenderer: pipeline creation failed: ${error.message}`);
    const shadowSampler = device.createSampler({
      label: 'box-render shadow',
      compare: 'less-equal',
      magFilter: 'linear',
      minFilter: 'linear',
      addressModeU: 'clamp-to-edge',
      addressModeV: 'clamp-to-edge',
    });
    return new BoxRenderer(device, options.colorFormat, sampleCount, frameLayout, shadowLayout, shadowPipeline, colorPipeline, shadowSampler);
  }

  /** A view: its own instance and uniform buffers, shadow map and depth/multisample targets. */
  createView(options: BoxViewOptions = {}): BoxView {
    return new BoxView(this, options.shadowMapSize ?? 2048, options.label ?? 'box view');
  }
}

/**
 * One drawing target's resources (see {@link BoxRenderer}). Encode at most one frame per view
 * per queue submission: {@link encode} writes the view's buffers through the queue.
 */
export class BoxView {
  private readonly frameBytes = new ArrayBuffer(RenderFrame.size);
  private readonly frameF32 = new Float32Array(this.frameBytes);
  private readonly uniforms: GPUBuffer;
  private readonly shadowMap: GPUTexture;
  /** The shadow map's one view: the shadow pass's attachment and the main pass's binding. */
  private readonly shadowMapView: GPUTextureView;
  private readonly shadowGroup: GPUBindGroup;
  private instances: GPUBuffer | undefined;
  private frameGroup: GPUBindGroup | undefined;
  private targets: { width: number; height: number; depth: GPUTexture; msaa: GPUTexture | undefined } | undefined;

  /** @internal use {@link BoxRenderer.createView}. */
  constructor(
    private readonly renderer: BoxRenderer,
    /** Side of the shadow map in texels. */
    readonly shadowMapSize: number,
    private readonly label: string,
  ) {
    const device = renderer.device;
    this.uniforms = device.createBuffer({ label: `${label} frame`, size: RenderFrame.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.shadowMap = device.createTexture({
      label: `${label} shadow map`,
      size: [shadowMapSize, shadowMapSize],
      format: SHADOW_FORMAT,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.TEXTURE_BINDING,
    });
    this.shadowMapView = this.shadowMap.createView();
    this.shadowGroup = device.createBindGroup({
      label: `${label} shadow map`,
      layout: renderer.shadowLayout,
      entries: [
        { binding: 0, resource: this.shadowMapView },
        { binding: 1, resource: renderer.shadowSampler },
      ],
    });
  }

  /**
   * Encodes the shadow pass and the colour pass drawing `boxes` into `target` (a texture of the
   * renderer's colour format, e.g. a canvas's current texture), seen through `camera`.
   */
  encode(encoder: GPUCommandEncoder, target: GPUTexture, boxes: BoxBatch, camera: ViewCamera, options: EncodeOptions = {}): void {
    const device = this.renderer.device;
    const lighting = options.lighting ?? DEFAULT_LIGHTING;
    this.ensureTargets(target.width, target.height);
    this.ensureInstances(boxes.count);
    const rows = boxes.data;
    if (boxes.count > 0) device.queue.writeBuffer(this.instances!, 0, rows.buffer, rows.byteOffset, rows.byteLength);
    this.writeFrame(camera, lighting, boxes);

    const shadowPass = encoder.beginRenderPass({
      label: `${this.label} shadow`,
      colorAttachments: [],
      depthStencilAttachment: { view: this.shadowMapView, depthClearValue: 1, depthLoadOp: 'clear', depthStoreOp: 'store' },
    });
    if (boxes.count > 0 && !boundsIsEmpty(boxes.casterBounds)) {
      shadowPass.setPipeline(this.renderer.shadowPipeline);
      shadowPass.setBindGroup(0, this.frameGroup!);
      shadowPass.draw(VERTICES_PER_BOX, boxes.count);
    }
    shadowPass.end();

    // The target is not an sRGB format: the clear value is stored as given, i.e. as sRGB.
    const [r, g, b] = options.clearColor ?? [0.83, 0.86, 0.9];
    const { depth, msaa } = this.targets!;
    const targetView = target.createView();
    const pass = encoder.beginRenderPass({
      label: `${this.label} colour`,
      colorAttachments: [
        {
          view: msaa ? msaa.createView() : targetView,
          resolveTarget: msaa ? targetView : undefined,
          clearValue: { r, g, b, a: 1 },
          loadOp: 'clear',
          storeOp: msaa ? 'discard' : 'store',
        },
      ],
      depthStencilAttachment: { view: depth.createView(), depthClearValue: 1, depthLoadOp: 'clear', depthStoreOp: 'discard' },
    });
    if (boxes.count > 0) {
      pass.setPipeline(this.renderer.colorPipeline);
      pass.setBindGroup(0, this.frameGroup!);
      pass.setBindGroup(1, this.shadowGroup);
      pass.draw(VERTICES_PER_BOX, boxes.count);
    }
    pass.end();
  }

  /** Releases the view's GPU buffers and textures. */
  destroy(): void {
    this.uniforms.destroy();
    this.shadowMap.destroy();
    this.instances?.destroy();
    this.targets?.depth.destroy();
    this.targets?.msaa?.destroy();
    this.instances = undefined;
    this.targets = undefined;
  }

  private writeFrame(camera: ViewCamera, lighting: Lighting, boxes: BoxBatch): void {
    const f = this.frameF32;
    const at = (name: Parameters<typeof RenderFrame.field>[0]) => RenderFrame.field(name).offset / 4;
    f.set(camera.viewProj, at('viewProj'));
    const bounds = boundsIsEmpty(boxes.casterBounds) ? { min: [-1, -1, -1] as [number, number, number], max: [1, 1, 1] as [number, number, number] } : boxes.casterBounds;
    const light = fitDirectionalLight(lighting.direction, bounds, this.shadowMapSize);
    f.set(light.viewProj, at('lightViewProj'));
    f[at('shadowTexel')] = light.texelSize;
    const d = lighting.direction;
    const length = Math.hypot(d[0], d[1], d[2]) || 1;
    f.set([d[0] / length, d[1] / length, d[2] / length], at('lightDir'));
    f[at('sunIntensity')] = lighting.sunIntensity;
    f[at('ambientSky')] = lighting.ambientSky;
    f[at('ambientGround')] = lighting.ambientGround;
    f[at('edgeDarkening')] = lighting.edgeDarkening;
    f[at('gridSpacing')] = lighting.gridSpacing;
    this.renderer.device.queue.writeBuffer(this.uniforms, 0, this.frameBytes);
  }

  private ensureInstances(count: number): void {
    const needed = Math.max(1, count) * BoxInstance.size;
    if (this.instances && this.instances.size >= needed) return;
    const size = Math.max(needed, (this.instances?.size ?? 0) * 2);
    this.instances?.destroy();
    const device = this.renderer.device;
    this.instances = device.createBuffer({
      label: `${this.label} boxes`,
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    this.frameGroup = device.createBindGroup({
      label: `${this.label} frame`,
      layout: this.renderer.frameLayout,
      entries: [
        { binding: 0, resource: { buffer: this.uniforms } },
        { binding: 1, resource: { buffer: this.instances } },
      ],
    });
  }

  private ensureTargets(width: number, height: number): void {
    if (this.targets && this.targets.width === width && this.targets.height === height) return;
    this.targets?.depth.destroy();
    this.targets?.msaa?.destroy();
    const { device, sampleCount, colorFormat } = this.renderer;
    const size = [width, height];
    this.targets = {
      width,
      height,
      depth: device.createTexture({ label: `${this.label} depth`, size, format: DEPTH_FORMAT, sampleCount, usage: GPUTextureUsage.RENDER_ATTACHMENT }),
      msaa:
        sampleCount > 1
          ? device.createTexture({ label: `${this.label} msaa`, size, format: colorFormat, sampleCount, usage: GPUTextureUsage.RENDER_ATTACHMENT })
          : undefined,
    };
  }
}
