/**
 * `mambu-sandbox`: runs the embedded Mambu API v2 emulator on 127.0.0.1 until SIGINT/SIGTERM.
 *
 *   mambu-sandbox [--port 7070] [--seed <file> | --empty] [--generate clients=20000,loans=20000]
 *                 [--tls] [--latency <ms>[±jitter]] [--fault-rate <0..1>] [--persist <file>]
 *
 * The first line printed is `Mambu sandbox listening on http://127.0.0.1:PORT` (https with --tls, followed by a
 * line with the CA certificate file). The demo tenant accepts user `demo`, password `demo`, API key `demo-api-key`.
 */
import { startSandbox, SandboxOptions } from "./index";
import { parseGenerate } from "./seed";

const USAGE = `Usage: mambu-sandbox [options]

A local emulator of Mambu's API v2 (demo tenant: user demo, password demo, API key demo-api-key).

Options:
  --port <n>              port on 127.0.0.1 (default 7070; 0 picks a free port)
  --seed <file>           load this seed or snapshot file instead of the demo tenant
  --empty                 start with an empty tenant
  --generate <spec>       add a synthetic tenant, e.g. clients=20000,loans=20000,deposits=1000
  --tls                   serve https with a certificate made at start (prints the CA file)
  --latency <ms>[±j]      add latency to every response, e.g. 50 or 50±20 (also 50+-20)
  --fault-rate <r>        share of requests (0..1) answered 429 / 5xx (half each)
  --persist <file>        resume from <file> when it exists; save the state there on exit
  --help                  show this help

Per-request faults (authenticated requests only): header X-Sandbox-Fault: 429 | 500..504 | drop |
drop-after | slow[=ms] | latency=ms (comma-separated; retry-after=s, times=n).
Limits: JSON bodies 1 MiB, uploads 50 MiB (413 above), JSON nesting 64 levels (400 deeper).
Point clients at it with
MAMBU_API_URL=http://127.0.0.1:7070 MAMBU_API_USER=demo MAMBU_API_PWD=demo
`;

/** Parses the command line into sandbox options (throws with a message on bad input). */
export function parseArgs(argv: string[]): SandboxOptions & { help?: boolean } {
  const opts: SandboxOptions & { help?: boolean } = { port: 7070 };
  const faults: NonNullable<SandboxOptions["faults"]> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    const flag = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith("--") && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--help":
      case "-h":
        opts.help = true;
        break;
      case "--port": {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`--port: expected 0..65535, got ${v}`);
        opts.port = Number(v);
        break;
      }
      case "--seed":
        opts.data = value();
        break;
      case "--empty":
        opts.data = "empty";
        break;
      case "--generate":
        opts.generate = parseGenerate(value());
        break;
      case "--tls":
        opts.tls = true;
        break;
      case "--latency": {
        const v = value();
        const m = /^(\d+)(?:(?:±|\+-|\+\/-)(\d+))?$/.exec(v);
        if (!m) throw new Error(`--latency: expected <ms> or <ms>±<jitter>, got ${v}`);
        faults.latencyMs = Number(m[1]);
        if (m[2]) faults.jitterMs = Number(m[2]);
        break;
      }
      case "--fault-rate": {
        const v = Number(value());
        if (!(v >= 0 && v <= 1)) throw new Error("--fault-rate: expected a number between 0 and 1");
        faults.rate429 = v / 2;
        faults.rate5xx = v / 2;
        faults.seed = Date.now() % 2147483647;
        break;
      }
      case "--persist":
        opts.persist = value();
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (Object.keys(faults).length) opts.faults = faults;
  return opts;
}

/** Runs the CLI. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`mambu-sandbox: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  const sandbox = await startSandbox(opts);
  process.stdout.write(`Mambu sandbox listening on ${sandbox.url}\n`);
  if (sandbox.caCertPath) process.stdout.write(`CA certificate: ${sandbox.caCertPath}\n`);
  process.stdout.write(
    `Demo tenant: user demo / password demo, or header apiKey: demo-api-key${opts.persist ? `; state saved to ${opts.persist} on exit` : ""}. Ctrl-C stops.\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    sandbox
      .stop()
      .then(() => {
        process.stdout.write(`Mambu sandbox stopped (${signal})\n`);
        process.exit(0);
      })
      .catch((e: unknown) => {
        process.stderr.write(`mambu-sandbox: could not stop cleanly: ${(e as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`mambu-sandbox: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
