/**
 * Whether two values serialise to the same JSON — what `JSON.stringify(a) === JSON.stringify(b)` answers — found
 * by walking both at once instead of serialising them (the engine compares each record it may write back with the
 * stored one this way, on every posting).
 */

/** Values JSON leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown): boolean => v === undefined || typeof v === "function" || typeof v === "symbol";

const stringified = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Deeper than this, the comparison serialises (as JSON.stringify would, it throws on a cycle). */
const MAX_DEPTH = 100;

/** Whether `JSON.stringify(a) === JSON.stringify(b)`, without serialising plain objects, arrays and primitives. */
export function sameJson(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object" || depth > MAX_DEPTH) return stringified(a, b);
  if (typeof (a as { toJSON?: unknown }).toJSON === "function" || typeof (b as { toJSON?: unknown }).toJSON === "function") return stringified(a, b);
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (isArray) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      if (!sameJson(omitted(x[i]) ? null : x[i], omitted(y[i]) ? null : y[i], depth + 1)) return false;
    }
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < kx.length && omitted(x[kx[i]])) i++;
    while (j < ky.length && omitted(y[ky[j]])) j++;
    if (i === kx.length || j === ky.length) return i === kx.length && j === ky.length;
    if (kx[i] !== ky[j] || !sameJson(x[kx[i]], y[ky[j]], depth + 1)) return false;
    i++;
    j++;
  }
}
