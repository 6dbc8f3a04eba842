/**
 * The idempotency keys of a migration are the same from one version of mambu-ts to the next: a journal
 * begun by one version is resumed by another, and Mambu recognises a retried or rerun write only by the
 * key the first attempt carried. The values below were derived by mambu-ts before issue 19's changes.
 */
import { deterministicUuidV4 } from "../../lib/transport/uuid";
import { idempotencyKey } from "../../lib/migrate/keys";

it("derives the keys earlier versions derived, parts length-prefixed (also beyond ASCII)", () => {
  expect(deterministicUuidV4("row-17", "create-client")).toBe("ba7ac0ff-9deb-434d-adfe-ac79cace3b06");
  expect(deterministicUuidV4("ab", "c")).toBe("430fb1b4-ac43-416e-8a81-fab27a1930ab");
  expect(deterministicUuidV4("a", "bc")).toBe("5310a587-8878-4ab2-9d5a-d7c3f8503582");
  expect(deterministicUuidV4("Peña", "ñ€😀", "")).toBe("f7eab519-dfd7-4510-8ea7-58494c9e7521");
  expect(idempotencyKey("bench-writes-2000", "client:BENCH-C000001", "client", "", "0f8fad5b-d9cb-469f-a165-70867728950e")).toBe(
    "9f61ba43-1a52-43f5-bc83-b8d741913267",
  );
});
