/** Deep copy of a JSON wire value; immutable leaves (RawNumber, primitives) are shared. @internal */
export function cloneWire<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(cloneWire) as unknown as T;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) out[k] = cloneWire((v as Record<string, unknown>)[k]);
  return out as T;
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
