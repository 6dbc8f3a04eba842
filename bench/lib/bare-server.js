"use strict";
/**
 * The floor of the mixed sandbox benchmark: a bare `node:http` server, in its own process, answering each
 * request of the benchmark's sequence (its index in the `X-Bench-Seq` header) with a pre-built body of the
 * size and the status the sandbox answered it with. It reads each request body, as the sandbox does, and
 * does nothing else.
 *
 * Usage: node bench/lib/bare-server.js <answers.json>   (answers.json: [[status, bytes], ...])
 * Prints `listening on http://127.0.0.1:PORT` once it listens.
 */
const fs = require("node:fs");
const http = require("node:http");

const answers = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
/** Bodies built once: a JSON array of "x" strings padded to the size (bodies of one size are shared). */
const bySize = new Map();
function body(size) {
  let b = bySize.get(size);
  if (!b) {
    b = Buffer.alloc(size, 0x78);
    if (size >= 2) {
      b[0] = 0x5b; // [
      b[size - 1] = 0x5d; // ]
      if (size >= 4) {
        b[1] = 0x22;
        b[size - 2] = 0x22;
      }
    }
    bySize.set(size, b);
  }
  return b;
}
const prebuilt = answers.map(([status, size]) => [status, body(size)]);

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const i = Number(req.headers["x-bench-seq"]);
    const [status, raw] = prebuilt[i] ?? [404, body(2)];
    res.writeHead(status, { "Content-Type": "application/vnd.mambu.v2+json;charset=UTF-8", "Content-Length": String(raw.length) });
    res.end(raw);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)) && server.closeAllConnections());
