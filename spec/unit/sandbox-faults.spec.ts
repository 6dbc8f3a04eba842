/** The sandbox's fault schedule: run faults by request count (`afterRequests`), queued faults first. */
import { FaultInjector } from "../../lib/sandbox/faults";

test("run faults start after `afterRequests` requests, counted from when they are set; queued faults apply at once", () => {
  const f = new FaultInjector({ rate5xx: 1, afterRequests: 3 });
  f.injectNext("drop-after", 1, { method: "POST", path: "/clients" });
  expect(f.decide("POST", "/clients", undefined)).toMatchObject({ drop: "after" }); // 1: the queue
  expect(f.decide("GET", "/branches", undefined).status).toBeUndefined(); // 2
  expect(f.decide("GET", "/branches", undefined).status).toBeUndefined(); // 3
  expect(f.decide("GET", "/branches", undefined).status).toBeGreaterThanOrEqual(500); // 4: the run's faults
  f.set({ rate5xx: 1, afterRequests: 1 });
  expect(f.decide("GET", "/branches", undefined).status).toBeUndefined();
  expect(f.decide("GET", "/branches", undefined).status).toBeGreaterThanOrEqual(500);
  f.set({ rate5xx: 1 });
  expect(f.decide("GET", "/branches", undefined).status).toBeGreaterThanOrEqual(500); // default: from the first
});
