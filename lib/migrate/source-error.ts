/** The error of a malformed source file, located at its line and column. */

/** A malformed file (unterminated quote, stray quote, bad JSON): fatal for that file. */
export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = "SourceError";
  }
}
