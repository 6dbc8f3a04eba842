/**
 * Relations: `client.getAssignedBranch()` fetches the related entity through the same connector,
 * sets it as a property (`client.assignedBranch`) that is never sent back to Mambu, and returns it
 * as a chain (so `await loan.getAccountHolder().getAssignedBranch()` works).
 */
import { Chain, chain } from "./chain";
import { connectorOf, EntityClass, MambuEntity } from "./entity";
import { MambuTsError } from "../errors";
import type { DetailsLevel } from "./query";

/** Sets a property that reads like a field but is never serialised (not enumerable). @internal */
export function setTransient(owner: object, property: string, value: unknown): void {
  Object.defineProperty(owner, property, { value, configurable: true, enumerable: false, writable: true });
}

/**
 * Fetches the entity of class `target()` whose id/encodedKey is in `owner[keyField]`, stores it
 * as `owner[property]` and returns it. A missing key is a clear error, not a null.
 */
export function relate<T extends MambuEntity>(
  owner: MambuEntity,
  property: string,
  keyField: string,
  target: () => EntityClass<T>,
  opts: { detailsLevel?: DetailsLevel } = {},
): Chain<T> {
  return chain<T>(async (): Promise<T> => {
    const key = (owner as unknown as Record<string, unknown>)[keyField];
    if (typeof key !== "string" || key === "") {
      throw new MambuTsError(`${owner.constructor.name} has no ${keyField}: it is not assigned to a ${target().name.replace(/^Mambu/, "").toLowerCase()}`);
    }
    const entity = (await target().get(key, { detailsLevel: opts.detailsLevel, connector: connectorOf(owner) })) as T;
    setTransient(owner, property, entity);
    return entity;
  }, `${owner.constructor.name}.${property}`);
}
