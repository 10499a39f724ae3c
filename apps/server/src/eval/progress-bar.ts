/** Where a {@link ProgressBar} draws: a terminal stream. */
export interface ProgressOutput {
  /** Whether the stream is a terminal; the bar draws nothing otherwise. */
  isTTY?: boolean | undefined;
  /** Writes text. */
  write(text: string): unknown;
}

const WIDTH = 30;

/**
 * A one-line progress bar on a terminal stream (stderr), redrawn at most ten times a second, and nothing at
 * all when the stream is not a terminal, so logs and pipes stay clean. Twenty lines of code instead of a
 * dependency such as `cli-progress`, whose features (multi-bars, themes) this command does not need.
 */
export class ProgressBar {
  readonly #output: ProgressOutput;
  readonly #label: string;
  readonly #started = performance.now();
  /** When the bar was last drawn (`performance.now()`); never yet at first, so the first step always draws. */
  #lastDraw = Number.NEGATIVE_INFINITY;
  /** Whether a bar is on the line and not yet ended. */
  #open = false;

  constructor(output: ProgressOutput, label: string) {
    this.#output = output;
    this.#label = label;
  }

  /** Shows `done` of `total`. */
  update(done: number, total: number): void {
    if (this.#output.isTTY !== true) return;
    const now = performance.now();
    if (done < total && now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    this.#open = true;
    const filled = total > 0 ? Math.round((done / total) * WIDTH) : WIDTH;
    const seconds = ((now - this.#started) / 1000).toFixed(1);
    this.#output.write(
      `\r${this.#label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${seconds} s`,
    );
  }

  /**
   * Ends the bar's line, so what is written next (the report, or the error of a run that stopped midway)
   * starts a line of its own; nothing when no bar was drawn or the line is already ended.
   */
  finish(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#output.write('\n');
  }
}
