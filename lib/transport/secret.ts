/**
 * A credential handed to the caller once (a new API key, a secret key): it prints as `****` everywhere —
 * `String()`, template literals, `JSON.stringify`, `util.inspect`, the REPL, logs, error messages — and gives its
 * value only to an explicit {@link Secret.reveal}. Every value wrapped in this process is remembered (bounded) so
 * that output paths the library does not control (the REPL's history file) can leave it out: see
 * {@link knownSecrets}.
 */
import { inspect } from "node:util";
import { REDACTED } from "./redact";

/** How many secret values {@link knownSecrets} remembers (the oldest are forgotten first). */
export const MAX_KNOWN_SECRETS = 1000;

const known = new Set<string>();

function remember(value: string): void {
  if (known.has(value)) known.delete(value);
  known.add(value);
  if (known.size > MAX_KNOWN_SECRETS) {
    const oldest = known.values().next().value;
    if (oldest !== undefined) known.delete(oldest);
  }
}

/** A credential that never prints its value (see the module comment). */
export class Secret {
  readonly #value: string;
  /** What the secret is, for messages (e.g. `"API key"`); never the value. */
  readonly label: string;

  /**
   * @param value the credential (a non-empty string).
   * @param label what it is, shown instead of the value (default `"secret"`).
   * @throws TypeError when the value is not a non-empty string.
   */
  constructor(value: string, label = "secret") {
    if (typeof value !== "string" || value === "") throw new TypeError(`${label}: a secret must be a non-empty string`);
    this.#value = value;
    this.label = label;
    remember(value);
  }

  /** The credential itself. Call it only where the value must go (a header, a file of mode 600). */
  reveal(): string {
    return this.#value;
  }

  /** Whether this secret holds the same value as `other` (compared without printing either). */
  equals(other: Secret | string): boolean {
    return (other instanceof Secret ? other.reveal() : other) === this.#value;
  }

  /** `****`. */
  toString(): string {
    return REDACTED;
  }

  /** `****` (so `JSON.stringify` of a record holding a secret leaks nothing). */
  toJSON(): string {
    return REDACTED;
  }

  /** `Secret(API key: ****)` in `console.log`, `util.inspect` and the REPL. */
  [inspect.custom](): string {
    return `Secret(${this.label}: ${REDACTED})`;
  }

  /** `****` when coerced to a primitive. */
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

/** Whether `value` is a {@link Secret}. */
export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/**
 * The secret values wrapped in this process so far (at most {@link MAX_KNOWN_SECRETS}, newest last): what an
 * output the library does not format itself (the REPL history) must not contain.
 */
export function knownSecrets(): string[] {
  return [...known];
}
