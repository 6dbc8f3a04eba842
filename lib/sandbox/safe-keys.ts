/**
 * Keys that must never index the sandbox's objects, because assigning through them reaches a prototype
 * (`obj["__proto__"] = v`, `obj.constructor.prototype.x = v`) and from there every object of the process.
 *
 * The rules: a JSON body or a seed/state file with a `"__proto__"` key anywhere is rejected (JSON.parse keeps
 * it as an own property, but the first copy by assignment turns it into a prototype); a PATCH path segment may
 * be none of `__proto__`, `constructor`, `prototype`; values are read from user-named keys only when they are
 * own properties ({@link ownValue}).
 */

/** Path segments a PATCH may not use. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Whether a key is one of {@link FORBIDDEN_SEGMENTS}. */
export function isForbiddenSegment(key: string): boolean {
  return FORBIDDEN_SEGMENTS.has(key);
}

/** `obj[key]` when `key` is an own property of an object (or an index of an array), else undefined. */
export function ownValue(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * The path (e.g. `body.addresses[0].__proto__`) of the first `"__proto__"` key in a parsed JSON value, or
 * undefined. Iterative, so any depth is safe.
 */
export function findProtoKey(value: unknown, root = "body"): string | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [v, where] = stack.pop() as [unknown, string];
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${where}[${i}]`]);
      continue;
    }
    for (const k of Object.keys(v)) {
      if (k === "__proto__") return `${where}.${k}`;
      stack.push([(v as Record<string, unknown>)[k], `${where}.${k}`]);
    }
  }
  return undefined;
}

/** A map with no prototype, for user-named keys (query parameters, multipart fields, route parameters). */
export function nullProto<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
