/** Deep copy of a JSON wire value; immutable leaves (RawNumber, primitives) are shared. @internal */
export function cloneWire<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(cloneWire) as unknown as T;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setOwn(out, k, cloneWire((v as Record<string, unknown>)[k]));
  return out as T;
}

/**
 * `o[k] = v` for a key that comes from data: a key `__proto__` (JSON.parse makes it an own
 * property) is defined as an own property too, where `o[k] = v` would replace `o`'s prototype.
 * @internal
 */
export function setOwn(o: Record<string, unknown>, k: string | number, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/** `o[k]` when `k` is an own property of `o`, else undefined (never an inherited member such as `__proto__` or `constructor`). @internal */
export function getOwn(o: object, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined;
}

/** Whether a value is a plain object (`{}` literal or JSON-parsed object). @internal */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Own-property check that works on null-prototype objects. @internal */
export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}
