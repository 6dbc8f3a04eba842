/**
 * Installing methods on a class from another module: a module that builds on `MambuEntity` (documents,
 * comments, link fields, reassignment) adds its methods to the prototype itself, so that entity.ts
 * need not import it (the imports then go one way). The module declares the methods on the class
 * with `declare module "./entity" { interface MambuEntity { ... } }` for TypeScript.
 */

/**
 * Defines each function of `methods` on `proto` as a class body would: non-enumerable, writable and
 * configurable (a subclass or an instance can still override it). @internal
 */
export function installMethods(proto: object, methods: Record<string, (...args: never[]) => unknown>): void {
  for (const name of Object.keys(methods)) {
    Object.defineProperty(proto, name, { value: methods[name], writable: true, configurable: true, enumerable: false });
  }
}
