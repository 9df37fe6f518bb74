import type { OrbitCamera } from '@gripgen/sim-core/render';

/** Radians of orbit per pixel dragged. */
const ORBIT_PER_PIXEL = 0.008;
/** A press that moves less than this (px) is a click, not a drag. */
const CLICK_SLOP = 4;

/** What {@link attachCameraInput} calls back. */
export interface CameraInputCallbacks {
  /** The camera moved: draw again. */
  onChange(): void;
  /** A click (no drag) at (`x`, `y`) CSS pixels from the canvas's top-left corner. */
  onClick?(x: number, y: number): void;
  /** A double click: e.g. reset the camera. */
  onDoubleClick?(): void;
}

/**
 * Mouse control of an orbit camera on `canvas`: left drag orbits, right drag (or shift/ctrl +
 * left drag, or middle drag) pans, the wheel zooms towards the target. Returns a function that
 * removes the listeners.
 */
export function attachCameraInput(canvas: HTMLCanvasElement, camera: OrbitCamera, callbacks: CameraInputCallbacks): () => void {
  let drag: { id: number; x: number; y: number; startX: number; startY: number; pan: boolean; moved: boolean } | undefined;

  const down = (e: PointerEvent) => {
    if (drag) return;
    canvas.setPointerCapture(e.pointerId);
    const pan = e.button === 2 || e.button === 1 || e.shiftKey || e.ctrlKey;
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY, startX: e.clientX, startY: e.clientY, pan, moved: false };
  };
  const move = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    drag.x = e.clientX;
    drag.y = e.clientY;
    if (!drag.moved && Math.hypot(e.clientX - drag.startX, e.clientY - drag.startY) < CLICK_SLOP) return;
    drag.moved = true;
    if (drag.pan) camera.pan(dx, dy, canvas.clientHeight);
    else camera.orbit(-dx * ORBIT_PER_PIXEL, dy * ORBIT_PER_PIXEL);
    callbacks.onChange();
  };
  const up = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    const wasClick = !drag.moved && e.button === 0;
    drag = undefined;
    if (wasClick && callbacks.onClick) {
      const rect = canvas.getBoundingClientRect();
      callbacks.onClick(e.clientX - rect.left, e.clientY - rect.top);
    }
  };
  const wheel = (e: WheelEvent) => {
    e.preventDefault();
    const lines = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? 40 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? 400 : 1;
    camera.zoom(Math.exp(e.deltaY * lines * 0.0015));
    callbacks.onChange();
  };
  const menu = (e: Event) => e.preventDefault();
  const dbl = () => callbacks.onDoubleClick?.();

  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  canvas.addEventListener('wheel', wheel, { passive: false });
  canvas.addEventListener('contextmenu', menu);
  canvas.addEventListener('dblclick', dbl);
  return () => {
    canvas.removeEventListener('pointerdown', down);
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerup', up);
    canvas.removeEventListener('pointercancel', up);
    canvas.removeEventListener('wheel', wheel);
    canvas.removeEventListener('contextmenu', menu);
    canvas.removeEventListener('dblclick', dbl);
  };
}
