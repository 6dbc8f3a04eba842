/** Jest setup: tests never touch the network; loopback stays open for the sandbox and local fault servers. */
import nock from "nock";

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);

// The machine's zone must never leak into Mambu dates: every test runs in an unusual one. The zone
// itself is set in jest.config.js (here process.env is Jest's copy: Date and Intl never see it);
// this keeps what tests read from process.env.TZ in step.
process.env.TZ = "Pacific/Chatham";
