/**
 * Runs in every test file after the framework is installed. A unit test file (spec/unit) mocks HTTP with
 * nock: its network is disabled but for loopback, and when the file is done nock's interception is removed
 * so that the next file (jest may reuse this process) starts clean. An end-to-end file (spec/e2e) talks to
 * servers on 127.0.0.1 without nock's interception of node:http in the way; the loopback guard of
 * spec/helpers/setup.ts keeps it off the network.
 */
import type Nock from "nock";

const testPath = expect.getState().testPath ?? "";
if (!/[\\/]spec[\\/]e2e[\\/]/.test(testPath)) {
  const nock = require("nock") as typeof Nock;
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
  afterAll(() => {
    nock.cleanAll();
    nock.restore();
  });
}
