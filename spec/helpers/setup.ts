/** Jest setup: tests never touch the network; loopback stays open for the sandbox and local fault servers. */
import nock from "nock";

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);

// The machine's zone must never leak into Mambu dates: run every test in an unusual one.
process.env.TZ = "Pacific/Chatham";
