"use strict";
/** A mambu-ts connector for a benchmark sandbox, isolated from the machine's rc files and environment. */
const fs = require("node:fs");
const http = require("node:http");
const https = require("node:https");
const path = require("node:path");
const { ROOT } = require("./common");

const dist = process.env.MAMBU_TS_DIST ? path.resolve(process.env.MAMBU_TS_DIST) : path.join(ROOT, "dist");

/**
 * A connector to the sandbox at `url` (user demo/demo), with its own configuration (no rc files, no
 * environment) holding `apipagination` and `concurrency`; over TLS it trusts the sandbox's CA.
 */
function sandboxConnector(url, { caPath, pageSize = 1000, concurrency = 4 } = {}) {
  const { MambuConnector, MambuConfig } = require(dist);
  const config = new MambuConfig({ rcFiles: [], env: {} });
  config.set("apipagination", pageSize);
  config.set("concurrency", concurrency);
  const agent = url.startsWith("https:")
    ? new https.Agent({ keepAlive: true, maxSockets: 16, ca: fs.readFileSync(caPath) })
    : new http.Agent({ keepAlive: true, maxSockets: 16 });
  return new MambuConnector({ apiurl: url, apiuser: "demo", apipwd: "demo", config, agent });
}

module.exports = { dist, sandboxConnector };
