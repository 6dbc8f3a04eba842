/**
 * Runs in every test file after the framework is installed: when the file is done, nock's
 * interception is removed so that the next file (jest may reuse this process) starts clean.
 */
import nock from "nock";

afterAll(() => {
  nock.cleanAll();
  nock.restore();
});
