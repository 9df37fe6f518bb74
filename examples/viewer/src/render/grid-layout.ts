import type { ViewRegion } from '@gripgen/sim-core/render';

/** Margin around the view region that each grid tile shows (m). */
const TILE_MARGIN = 0.05;
/** Gap between tiles (m). Pitches are multiples of 0.1 m so the tiles' grid lines line up. */
const TILE_GAP = 0.1;

/**
 * Where each world of a batch sits in the grid view: worlds in reading order, row 0 at the top
 * of a view looking from +x (rows advance towards +x, i.e. towards the viewer; columns towards
 * +y, i.e. to the right). Each world keeps its own coordinates, shifted by its origin.
 */
export class GridLayout {
  readonly columns: number;
  readonly rows: number;
  /** Tile rectangle in a world's own frame. */
  readonly tileMin: readonly [number, number];
  readonly tileMax: readonly [number, number];
  /** Distance between neighbouring tiles' origins along x (rows) and y (columns). */
  readonly pitch: readonly [number, number];

  /** `numWorlds` tiles, each showing `region` of its world (the task's view region, see `taskViewRegion`). */
  constructor(
    readonly numWorlds: number,
    readonly region: ViewRegion,
  ) {
    this.columns = Math.ceil(Math.sqrt(numWorlds));
    this.rows = Math.ceil(numWorlds / this.columns);
    const { min, max } = region;
    this.tileMin = [min[0] - TILE_MARGIN, min[1] - TILE_MARGIN];
    this.tileMax = [max[0] + TILE_MARGIN, max[1] + TILE_MARGIN];
    const roundUp = (v: number) => Math.ceil(v * 10 - 1e-9) / 10;
    this.pitch = [roundUp(this.tileMax[0] - this.tileMin[0] + TILE_GAP), roundUp(this.tileMax[1] - this.tileMin[1] + TILE_GAP)];
  }

  /** Origin of world `world` in the grid (m). */
  origin(world: number): [number, number, number] {
    const row = Math.floor(world / this.columns);
    const column = world % this.columns;
    return [row * this.pitch[0], column * this.pitch[1], 0];
  }

  /** The world whose tile contains grid point (`x`, `y`), or -1. */
  worldAt(x: number, y: number): number {
    const row = Math.floor((x - this.tileMin[0] + TILE_GAP / 2) / this.pitch[0]);
    const column = Math.floor((y - this.tileMin[1] + TILE_GAP / 2) / this.pitch[1]);
    if (row < 0 || column < 0 || column >= this.columns) return -1;
    const world = row * this.columns + column;
    if (world >= this.numWorlds) return -1;
    const [ox, oy] = this.origin(world);
    const inside = x - ox >= this.tileMin[0] && x - ox <= this.tileMax[0] && y - oy >= this.tileMin[1] && y - oy <= this.tileMax[1];
    return inside ? world : -1;
  }

  /** Bounds of the whole grid (the tiles, table top to the top of the view region). */
  bounds(): { min: [number, number, number]; max: [number, number, number] } {
    const last = this.origin((this.rows - 1) * this.columns + this.columns - 1);
    return {
      min: [this.tileMin[0], this.tileMin[1], 0],
      max: [last[0] + this.tileMax[0], last[1] + this.tileMax[1], this.region.max[2]],
    };
  }
}
