import { BoxBatch, OrbitCamera, type BoxRenderer, type BoxView } from '@gripgen/sim-core/render';
import { attachCameraInput } from './camera-input.js';

/** Options of a {@link SceneView}. */
export interface SceneViewOptions {
  /** Shadow-map side (texels). */
  shadowMapSize: number;
  /** Puts the camera back where it starts (also on double click). */
  resetCamera(camera: OrbitCamera): void;
  /** A click on the canvas at CSS pixel (`x`, `y`). */
  onClick?(x: number, y: number): void;
  /** Something changed that needs a new frame (camera moved, canvas resized). */
  onChange(): void;
}

/**
 * One canvas showing a {@link BoxBatch} through an orbit camera: the canvas's WebGPU context,
 * a renderer view (its buffers and shadow map), mouse control and resizing. The owner fills
 * {@link boxes} and calls {@link encode} when it draws a frame.
 */
export class SceneView {
  readonly camera = new OrbitCamera();
  readonly boxes = new BoxBatch();
  private readonly context: GPUCanvasContext;
  private readonly view: BoxView;
  private readonly detach: () => void;
  private readonly resizeObserver: ResizeObserver;
  /** The world → clip matrix of the last frame drawn (for projecting points onto the canvas). */
  lastViewProj: ReturnType<OrbitCamera['viewProjection']> | undefined;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly renderer: BoxRenderer,
    private readonly options: SceneViewOptions,
  ) {
    const context = canvas.getContext('webgpu');
    if (!context) throw new Error('this browser gives no WebGPU canvas context');
    this.context = context;
    context.configure({ device: renderer.device, format: renderer.colorFormat, alphaMode: 'opaque' });
    this.view = renderer.createView({ shadowMapSize: options.shadowMapSize, label: canvas.id });
    options.resetCamera(this.camera);
    this.detach = attachCameraInput(canvas, this.camera, {
      onChange: options.onChange,
      onClick: options.onClick,
      onDoubleClick: () => {
        options.resetCamera(this.camera);
        options.onChange();
      },
    });
    this.resizeObserver = new ResizeObserver(() => this.fitCanvas() && options.onChange());
    this.resizeObserver.observe(canvas);
    this.fitCanvas();
  }

  /** Encodes a frame of {@link boxes} into the canvas's current texture. */
  encode(encoder: GPUCommandEncoder): void {
    const { width, height } = this.canvas;
    if (width === 0 || height === 0) return;
    this.lastViewProj = this.camera.viewProjection(width / height);
    this.view.encode(encoder, this.context.getCurrentTexture(), this.boxes, { viewProj: this.lastViewProj });
  }

  /** Puts the camera back to its start. */
  resetCamera(): void {
    this.options.resetCamera(this.camera);
    this.options.onChange();
  }

  /** Removes listeners, releases the GPU resources. */
  destroy(): void {
    this.detach();
    this.resizeObserver.disconnect();
    this.view.destroy();
    this.context.unconfigure();
  }

  /** Sizes the drawing buffer to the canvas's CSS size × devicePixelRatio; returns whether it changed. */
  private fitCanvas(): boolean {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (width === this.canvas.width && height === this.canvas.height) return false;
    this.canvas.width = width;
    this.canvas.height = height;
    return true;
  }
}
