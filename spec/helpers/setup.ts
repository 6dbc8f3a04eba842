/**
 * Jest setup: tests never touch the network. Every test file runs under the loopback guard
 * (spec/helpers/loopback-guard.ts: a connection anywhere but loopback is refused); the unit tests also
 * have nock's `disableNetConnect` (spec/helpers/after-env.ts).
 */
import { installLoopbackGuard } from "./loopback-guard";

installLoopbackGuard();

// The machine's zone must never leak into Mambu dates: every test runs in an unusual one. The zone
// itself is set in jest.config.js (here process.env is Jest's copy: Date and Intl never see it);
// this keeps what tests read from process.env.TZ in step.
process.env.TZ = "Pacific/Chatham";
