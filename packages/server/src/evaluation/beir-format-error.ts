/** A BEIR folder that cannot be read: a missing file, or a line that is not in the BEIR format. */
export class BeirFormatError extends Error {
  /** The file at fault. */
  readonly file: string;
  /** The 1-based line at fault, when the problem is in one line. */
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, problem: string, options?: { cause?: unknown }) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${problem}`, options);
    this.name = 'BeirFormatError';
    this.file = file;
    this.line = line;
  }
}
