/**
 * The end-to-end tests run without nock: the loopback guard (spec/helpers/loopback-guard.ts, installed by
 * spec/helpers/setup.ts) is what keeps them off the network. Whatever the client — node:http, global fetch,
 * node:net, TLS — a connection to anywhere but loopback fails with NetworkRefused before a packet leaves;
 * loopback works.
 */
import { createServer, get, Server } from "node:http";
import { AddressInfo, connect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { isLoopbackHost, NetworkRefused } from "../helpers/loopback-guard";

// 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed, so a guard that let it through would hang or fail otherwise
const OUTSIDE = "192.0.2.7";

function failure(start: (fail: (e: Error) => void) => void): Promise<Error> {
  return new Promise((resolve) => start(resolve));
}

test("node:http, fetch, node:net and TLS to an outside address fail with NetworkRefused", async () => {
  const viaHttp = await failure((fail) => void get(`http://${OUTSIDE}:8080/api/clients`).on("error", fail));
  const viaNet = await failure((fail) => void connect(80, OUTSIDE).on("error", fail));
  const viaTls = await failure((fail) => void tlsConnect({ host: OUTSIDE, port: 443, servername: "tenant.mambu.com" }).on("error", fail));
  const viaFetch = await fetch(`https://${OUTSIDE}/api/clients`).then(
    () => new Error("fetch reached the network"),
    (e: Error & { cause?: Error }) => e.cause ?? e,
  );
  // by name: the guard is installed once per jest worker, so its class is that of the first test file's
  // modules; fetch's cause comes through jest's environment as an Error whose message starts with the name
  const said = (e: Error): string => `${e.name}: ${e.message}`;
  for (const e of [viaHttp, viaNet, viaTls, viaFetch]) {
    expect(said(e)).toMatch(/NetworkRefused: the tests' network guard refused a connection to 192\.0\.2\.7:\d+/);
  }
});

test("a host name is refused before it is looked up; loopback is served", async () => {
  const named = await failure((fail) => void get("http://tenant.mambu.example/api/clients").on("error", fail));
  expect([named.name, named.message]).toEqual(["NetworkRefused", new NetworkRefused("tenant.mambu.example:80").message]);
  const server: Server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(await res.text()).toBe("ok");
  } finally {
    server.close();
  }
});

test("what counts as loopback", () => {
  expect(["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1", "0.0.0.0", "::"].filter(isLoopbackHost)).toHaveLength(8);
  expect(["192.0.2.7", "10.0.0.1", "128.0.0.1", "tenant.mambu.com", "localhost.example", "::2"].filter(isLoopbackHost)).toEqual([]);
});
