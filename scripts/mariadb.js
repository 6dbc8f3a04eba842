#!/usr/bin/env node
"use strict";
/**
 * A throwaway MariaDB server for the tests (and for trying `mambu db restore` by hand), from the Debian
 * packages. Node built-ins only, so that it runs before `npm ci` too.
 *
 *   node scripts/mariadb.js install        # apt-get install mariadb-server when mariadbd/mysqld is missing (root only)
 *   node scripts/mariadb.js start <dir>    # a new server with its data in <dir>: prints its connection as JSON
 *   node scripts/mariadb.js stop <dir>     # stops the server of <dir> (the directory is left for you to remove)
 *   node scripts/mariadb.js available      # exit 0 when a server binary is installed, 1 (saying so) when not
 *
 * `start` initialises a data directory in <dir>/data (mariadb-install-db), starts mariadbd on the unix socket
 * <dir>/mysqld.sock and on 127.0.0.1 at a free port (never on another interface; `--user=root` when run as root,
 * as mariadbd refuses root otherwise), waits until it answers, and creates a user `mambu` with a generated
 * password allowed everything (the server is private to one test run). The connection — host, port, socket,
 * user, password, pid — is printed as one JSON line and kept in <dir>/connection.json (mode 600). The server
 * keeps running after the script exits: `stop <dir>` ends it (SIGTERM, then SIGKILL after 30 s).
 */
const { spawn, spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const net = require("net");
const path = require("path");

const SBIN = ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"];

/** Where a program is: on PATH or in the usual sbin directories; undefined when nowhere. */
function which(name) {
  const dirs = [...(process.env.PATH || "").split(path.delimiter).filter(Boolean), ...SBIN];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** The server, its initialiser and its client: the first of each name installed. */
function binaries() {
  const first = (...names) => names.map(which).find(Boolean);
  return {
    server: first("mariadbd", "mysqld"),
    installDb: first("mariadb-install-db", "mysql_install_db"),
    client: first("mariadb", "mysql"),
  };
}

function fail(message) {
  process.stderr.write(`mariadb.js: ${message}\n`);
  process.exit(1);
}

const HOW_TO_INSTALL =
  "install MariaDB first: on Debian/Ubuntu `sudo apt-get install mariadb-server` (then `sudo systemctl disable --now mariadb` " +
  "if you want no server of your own), on macOS `brew install mariadb`";

/** `install`: apt-get install mariadb-server when no server binary is found. */
function install() {
  if (binaries().server) {
    process.stdout.write(`mariadb.js: ${binaries().server} is installed\n`);
    return;
  }
  if (typeof process.getuid !== "function" || process.getuid() !== 0) fail(`no mariadbd or mysqld found, and not root: ${HOW_TO_INSTALL}`);
  if (!which("apt-get")) fail(`no mariadbd or mysqld found, and no apt-get: ${HOW_TO_INSTALL}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args) => spawnSync("apt-get", args, { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  let r = run(["install", "-y", "-qq", "--no-install-recommends", "mariadb-server"]);
  if (r.status !== 0) {
    // A fresh machine may have no package lists yet.
    const u = run(["update", "-qq"]);
    if (u.status !== 0) fail(`apt-get update failed (exit ${u.status}):\n${u.stderr}`);
    r = run(["install", "-y", "-qq", "--no-install-recommends", "mariadb-server"]);
  }
  if (r.status !== 0) fail(`apt-get install mariadb-server failed (exit ${r.status}):\n${r.stderr}`);
  if (!binaries().server) fail("apt-get installed mariadb-server but no mariadbd or mysqld is found");
  process.stdout.write(`mariadb.js: installed ${binaries().server}\n`);
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Whether the process `pid` exists. */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs SQL through the client on the socket as the OS user (unix_socket authentication). */
function sql(bin, socket, text) {
  const user = require("os").userInfo().username;
  return spawnSync(bin, ["--no-defaults", `--socket=${socket}`, `--user=${user}`, "--batch", "--skip-column-names", "-e", text], {
    encoding: "utf8",
  });
}

/** `start <dir>`: initialise, start, wait, create the `mambu` user; prints the connection. */
async function start(dir) {
  const bin = binaries();
  if (!bin.server || !bin.installDb || !bin.client) fail(`MariaDB is not installed (mariadbd, mariadb-install-db and mariadb are needed): ${HOW_TO_INSTALL}`);
  dir = path.resolve(dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const data = path.join(dir, "data");
  const socket = path.join(dir, "mysqld.sock");
  const pidFile = path.join(dir, "mysqld.pid");
  const log = path.join(dir, "mysqld.log");
  if (fs.existsSync(pidFile) && alive(Number(fs.readFileSync(pidFile, "utf8")))) fail(`a server is already running for ${dir}; stop it first`);
  if (Buffer.byteLength(socket) > 100) fail(`the socket path ${socket} is too long for a unix socket (over 100 bytes): use a shorter directory`);
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const userArgs = asRoot ? ["--user=root"] : [];
  if (!fs.existsSync(path.join(data, "mysql"))) {
    const init = spawnSync(
      bin.installDb,
      ["--no-defaults", `--datadir=${data}`, "--skip-test-db", "--auth-root-authentication-method=socket", ...userArgs],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    if (init.status !== 0) fail(`mariadb-install-db failed (exit ${init.status}):\n${init.stdout}\n${init.stderr}`);
  }
  const port = await freePort();
  const out = fs.openSync(log, "a");
  const child = spawn(
    bin.server,
    [
      "--no-defaults",
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--pid-file=${pidFile}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      "--skip-name-resolve",
      "--character-set-server=utf8mb4",
      "--collation-server=utf8mb4_unicode_ci",
      "--innodb-buffer-pool-size=32M",
      "--innodb-log-file-size=16M",
      "--max-allowed-packet=64M",
      "--skip-log-bin",
      ...userArgs,
    ],
    { detached: true, stdio: ["ignore", out, out] },
  );
  child.unref();
  let exited;
  child.once("exit", (code, signal) => (exited = { code, signal }));
  for (let i = 0; ; i++) {
    if (exited) fail(`mariadbd exited at start (code ${exited.code}, signal ${exited.signal}); its log:\n${tail(log)}`);
    if (fs.existsSync(socket) && sql(bin.client, socket, "SELECT 1").status === 0) break;
    if (i > 600) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        /* gone */
      }
      fail(`mariadbd did not answer within 60 s; its log:\n${tail(log)}`);
    }
    await sleep(100);
  }
  const password = crypto.randomBytes(18).toString("base64url");
  const grant =
    `CREATE USER 'mambu'@'localhost' IDENTIFIED BY '${password}';` +
    `CREATE USER 'mambu'@'127.0.0.1' IDENTIFIED BY '${password}';` +
    "GRANT ALL PRIVILEGES ON *.* TO 'mambu'@'localhost' WITH GRANT OPTION;" +
    "GRANT ALL PRIVILEGES ON *.* TO 'mambu'@'127.0.0.1' WITH GRANT OPTION;";
  const g = sql(bin.client, socket, grant);
  if (g.status !== 0) {
    stopPid(child.pid);
    fail(`creating the mambu user failed:\n${g.stderr}`);
  }
  const info = { host: "127.0.0.1", port, socket, user: "mambu", password, pid: child.pid, dir };
  fs.writeFileSync(path.join(dir, "connection.json"), JSON.stringify(info), { mode: 0o600 });
  child.removeAllListeners("exit");
  process.stdout.write(`${JSON.stringify(info)}\n`);
  // The child is detached and unreferenced: this process may exit while the server runs on.
  process.exit(0);
}

function tail(file) {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Ends a server: SIGTERM, then SIGKILL after 30 s. Resolves once the process is gone. */
async function stopPid(pid) {
  if (!alive(pid)) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let i = 0; i < 300 && alive(pid); i++) await sleep(100);
  if (alive(pid)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  }
}

/** `stop <dir>`: stops the server started for `dir` (by the pid `start` kept). */
async function stop(dir) {
  dir = path.resolve(dir);
  let pid;
  try {
    pid = JSON.parse(fs.readFileSync(path.join(dir, "connection.json"), "utf8")).pid;
  } catch {
    try {
      pid = Number(fs.readFileSync(path.join(dir, "mysqld.pid"), "utf8"));
    } catch {
      process.stdout.write(`mariadb.js: no server was started in ${dir}\n`);
      return;
    }
  }
  if (!Number.isInteger(pid) || pid <= 1) fail(`no valid pid for the server of ${dir}`);
  await stopPid(pid);
  if (alive(pid)) fail(`the server of ${dir} (pid ${pid}) did not stop`);
  process.stdout.write(`mariadb.js: stopped the server of ${dir}\n`);
}

async function main() {
  const [cmd, dir] = process.argv.slice(2);
  if (cmd === "install") return install();
  if (cmd === "available") {
    if (binaries().server) return;
    process.stderr.write(`mariadb.js: MariaDB is not installed: ${HOW_TO_INSTALL}\n`);
    process.exit(1);
  }
  if ((cmd === "start" || cmd === "stop") && dir) return cmd === "start" ? start(dir) : stop(dir);
  fail("usage: node scripts/mariadb.js install | available | start <dir> | stop <dir>");
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
