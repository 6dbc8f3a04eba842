/**
 * Nothing a test does reaches the network: every TCP connection the test process opens (node:http and
 * https, global fetch, node:net, TLS, database drivers) is refused unless it goes to loopback — 127.0.0.0/8,
 * ::1, `localhost` — or to a local socket file. A refused connection fails on its socket with a
 * {@link NetworkRefused} error that names the destination. This guards the end-to-end tests, which talk
 * only to sandboxes and servers on 127.0.0.1 and run without nock (whose interception of node:http costs
 * about a quarter of the CPU of a migration test); the unit tests have nock's `disableNetConnect` as well.
 */
import net from "node:net";

/** The error of a connection the guard refused. */
export class NetworkRefused extends Error {
  constructor(readonly destination: string) {
    super(`the tests' network guard refused a connection to ${destination}: tests reach loopback only (spec/helpers/loopback-guard.ts)`);
    this.name = "NetworkRefused";
  }
}

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Whether `host` is this machine: loopback, or an unspecified address (which connects to this machine). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" || LOOPBACK_V4.test(h) || h === "::1" || /^::ffff:127\./.test(h) || h === "0.0.0.0" || h === "::";
}

/** Where a `Socket#connect(...)` call goes: a socket file (undefined host) or a host name or address. */
function destinationOf(args: unknown[]): { path?: string; host?: string; port?: unknown } {
  let first = args[0];
  // node's own callers pass their normalized arguments: [options, callback]
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === "object") {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === "string" && o.path !== "") return { path: o.path };
    return { host: typeof o.host === "string" && o.host !== "" ? o.host : "localhost", port: o.port };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === "string" && args[1] !== "" ? args[1] : "localhost", port: first };
}

const INSTALLED = Symbol.for("mambu-ts.spec.loopback-guard");

/** Installs the guard on node:net's sockets (once per process: jest's workers share node's core modules between test files). */
export function installLoopbackGuard(): void {
  const proto = net.Socket.prototype as net.Socket & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return;
  const connect = proto.connect;
  Object.defineProperty(proto, INSTALLED, { value: true });
  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const d = destinationOf(args);
    if (d.path === undefined && !isLoopbackHost(d.host!)) {
      const refused = new NetworkRefused(`${d.host}:${String(d.port)}`);
      process.nextTick(() => this.destroy(refused));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof proto.connect;
}
