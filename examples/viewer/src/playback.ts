/** Control steps per simulated second (the Sim's 20 Hz control rate). */
export const CONTROL_HZ = 20;

/** Speeds offered: multiples of real time; `Infinity` steps as fast as the GPU allows. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, Infinity] as const;

/**
 * The play / pause / single-step clock. While playing it calls `advance` (one control step)
 * at `speed` × real time, never starting a step before the previous one finished, and yields
 * to the browser between steps so frames get drawn.
 */
export class Playback {
  private running = false;
  private loop: Promise<void> | undefined;
  /** Multiple of real time (`Infinity`: as fast as possible). */
  speed = 1;

  constructor(
    private readonly advance: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly onStateChange: (playing: boolean) => void,
  ) {}

  get playing(): boolean {
    return this.running;
  }

  play(): void {
    if (this.running) return;
    this.running = true;
    this.onStateChange(true);
    this.loop = this.run();
  }

  /** Stops after the step in progress; resolves when it has finished. */
  async pause(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.onStateChange(false);
    await this.loop;
  }

  /** One step (pauses first if playing). */
  async stepOnce(): Promise<void> {
    await this.pause();
    await this.advance();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const start = performance.now();
      try {
        await this.advance();
      } catch (error) {
        this.running = false;
        this.onStateChange(false);
        this.onError(error);
        return;
      }
      const period = Number.isFinite(this.speed) ? 1000 / (CONTROL_HZ * this.speed) : 0;
      const wait = Math.max(0, period - (performance.now() - start));
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
