/**
 * TLS for the sandbox: a throw-away certificate authority and a server certificate it signs (for 127.0.0.1, ::1
 * and localhost), made at start in pure JavaScript (node-forge; keys from Node's crypto). The CA certificate is
 * written to a temporary file so that `curl --cacert <file>` or `https.Agent({ ca })` can trust the sandbox.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as Forge from "node-forge";

/**
 * node-forge, loaded on first use: it is an optional peer dependency of mambu-ts (only the sandbox's TLS
 * needs it), so a user who never starts the sandbox with `tls` does not install it.
 */
function loadForge(): typeof Forge {
  try {
    return require("node-forge") as typeof Forge;
  } catch {
    throw new Error("The sandbox's TLS needs the package node-forge: run `npm install node-forge@^1.3` (or start the sandbox without tls)");
  }
}

/** Certificates and keys of one sandbox run. */
export interface SandboxTls {
  /** Server private key (PEM). */
  key: string;
  /** Server certificate followed by the CA certificate (PEM chain). */
  cert: string;
  /** CA certificate (PEM): what clients trust. */
  ca: string;
  /** Path of a file holding `ca`. */
  caPath: string;
}

function rsaKeys(forge: typeof Forge): { privateKey: Forge.pki.rsa.PrivateKey; publicKey: Forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }) as string;
  const priv = forge.pki.privateKeyFromPem(pem) as Forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { privateKey: priv, publicKey: pub, pem };
}

function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f; // positive
  return b.toString("hex");
}

/** Makes a CA and a server certificate valid for a year, and writes the CA to a temporary file. */
export function makeTls(): SandboxTls {
  const forge = loadForge();
  const now = new Date();
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000);

  const caKeys = rsaKeys(forge);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  ca.validity.notBefore = notBefore;
  ca.validity.notAfter = notAfter;
  const caName = [{ name: "commonName", value: "mambu-ts sandbox CA" }, { name: "organizationName", value: "mambu-ts" }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const srvKeys = rsaKeys(forge);
  const cert = forge.pki.createCertificate();
  cert.publicKey = srvKeys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: "commonName", value: "127.0.0.1" }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 7, ip: "127.0.0.1" },
        { type: 7, ip: "::1" },
        { type: 2, value: "localhost" },
      ],
    },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  const caPem = forge.pki.certificateToPem(ca);
  const dir = mkdtempSync(join(tmpdir(), "mambu-sandbox-"));
  const caPath = join(dir, "ca.pem");
  writeFileSync(caPath, caPem, { mode: 0o644 });
  return { key: srvKeys.pem, cert: forge.pki.certificateToPem(cert) + caPem, ca: caPem, caPath };
}
