/**
 * The fluent chain: `await MambuLoan.get("54321").getSchedule()` in one expression.
 *
 * `chain(start)` returns a lazy, memoised thenable (not a Promise subclass, not an async function):
 * nothing is requested until it is awaited (or a member of it is), and it is requested once. Any
 * member read on it is itself a chain: awaited it gives the member's value, called it calls the
 * method on the resolved value — so chains go as deep as the values allow.
 */
import { inspect } from "node:util";
import { MambuTsError } from "../errors";

/** A method of T, seen through a chain: same arguments, a chain of its (awaited) result. */
type ChainedMember<M> = M extends (...args: infer A) => infer R ? ((...args: A) => Chain<Awaited<R>>) & Chain<M> : Chain<M>;

/**
 * A lazy thenable of `T` that also carries T's members: methods return chains of their results,
 * fields are chains of their values.
 */
export type Chain<T> = PromiseLike<T> & {
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R>;
  finally(onfinally?: (() => void) | null): Promise<T>;
} & (T extends object ? { [K in keyof T as K extends "then" | "catch" | "finally" ? never : K]: ChainedMember<T[K]> } : unknown);

/** Builds a chain over a deferred computation (started on first await, then memoised). */
export function chain<T>(start: () => PromiseLike<T> | T, label = "MambuChain"): Chain<T> {
  let memo: Promise<T> | undefined;
  const run = (): Promise<T> => (memo ??= Promise.resolve().then(start));
  return makeProxy(run, label, undefined) as Chain<T>;
}

function makeProxy(run: () => Promise<unknown>, label: string, call: ((args: unknown[]) => unknown) | undefined): unknown {
  // Only member chains are callable: a callable root would be invoked by tools that call functions
  // they are given (e.g. jest's `expect(fn).rejects`), instead of awaiting it.
  const target = call ? function mambuChain(): void {} : Object.create(null);
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === "then") return (ok?: (v: unknown) => unknown, ko?: (e: unknown) => unknown) => run().then(ok, ko);
      if (prop === "catch") return (ko?: (e: unknown) => unknown) => run().catch(ko);
      if (prop === "finally") return (f?: () => void) => run().finally(f);
      if (prop === inspect.custom) return () => `${label} <lazy>`;
      if (prop === Symbol.toStringTag) return label;
      if (typeof prop === "symbol") return undefined;
      return member(run, prop, label);
    },
    apply(_t, _this, args: unknown[]) {
      if (!call) throw new MambuTsError(`${label} is not a function`);
      return call(args);
    },
    has(_t, prop) {
      return prop === "then" || prop === "catch" || prop === "finally";
    },
  });
}

function member(parent: () => Promise<unknown>, prop: string, label: string): unknown {
  const path = `${label}.${prop}`;
  let memo: Promise<unknown> | undefined;
  const read = (): Promise<unknown> =>
    (memo ??= parent().then((v) => {
      if (v === null || v === undefined) throw new MambuTsError(`cannot read "${prop}" of ${String(v)} (${label})`);
      const x = (v as Record<string, unknown>)[prop];
      return typeof x === "function" ? (x as (...a: unknown[]) => unknown).bind(v) : x;
    }));
  const call = (args: unknown[]): unknown => {
    let callMemo: Promise<unknown> | undefined;
    const invoke = (): Promise<unknown> =>
      (callMemo ??= parent().then((v) => {
        if (v === null || v === undefined) throw new MambuTsError(`cannot call ${prop}() on ${String(v)} (${label})`);
        const fn = (v as Record<string, unknown>)[prop];
        if (typeof fn !== "function") throw new MambuTsError(`${prop} is not a method of ${(v as object).constructor?.name ?? typeof v}`);
        return (fn as (...a: unknown[]) => unknown).apply(v, args);
      }));
    return makeProxy(invoke, `${path}()`, undefined);
  };
  return makeProxy(read, path, call);
}
