/**
 * HTTPS beside HTTP, as deployed controllers serve it: the certificate and key given (PEM), or a
 * self-signed certificate made at start (CN and subjectAltName 127.0.0.1 and localhost, RSA 2048,
 * valid 30 days). The HTTPS listener takes the same request handler as the HTTP one.
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import { generate } from "selfsigned";

/** A certificate and its private key, both PEM. */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
}

const SELF_SIGNED_DAYS = 30;

/** A fresh self-signed certificate for 127.0.0.1 and localhost (RSA 2048, SHA-256, valid 30 days from now). */
export async function selfSignedCertificate(now = new Date()): Promise<TlsMaterial> {
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "rsa",
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + SELF_SIGNED_DAYS * 24 * 60 * 60 * 1000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** What is wrong with a certificate/key pair, naming which of the two; undefined when it can serve TLS. */
export function keyPairProblem(material: TlsMaterial): { readonly which: "cert" | "key"; readonly problem: string } | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(material.cert);
  } catch (err) {
    return { which: "cert", problem: `not a PEM certificate (${firstLine(err)})` };
  }
  let key;
  try {
    key = createPrivateKey(material.key);
  } catch (err) {
    return { which: "key", problem: `not a PEM private key (${firstLine(err)})` };
  }
  if (!cert.checkPrivateKey(key)) return { which: "key", problem: "is not the private key of the certificate" };
  return undefined;
}

/** A problem with a --cert or --key file; `flag` names the option. */
export class TlsFileError extends Error {
  override readonly name = "TlsFileError";
  readonly code = "TLS_FILE";
  constructor(readonly flag: "--cert" | "--key", message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Reads and checks the PEM files of --cert and --key; throws TlsFileError naming the flag and the file. */
export function readKeyPairFiles(certFile: string, keyFile: string): TlsMaterial {
  const read = (flag: "--cert" | "--key", file: string): string => {
    try {
      return readFileSync(file, "utf8");
    } catch (err) {
      throw new TlsFileError(flag, `${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? firstLine(err)})`, { cause: err });
    }
  };
  const material = { cert: read("--cert", certFile), key: read("--key", keyFile) };
  const bad = keyPairProblem(material);
  if (bad !== undefined) {
    const flag = bad.which === "cert" ? "--cert" : "--key";
    const file = bad.which === "cert" ? certFile : keyFile;
    const of = bad.which === "key" && bad.problem.startsWith("is not") ? ` in --cert ${certFile}` : "";
    throw new TlsFileError(flag, `${flag} ${file}: ${bad.problem}${of}`);
  }
  return material;
}

/** An HTTPS server with the HTTP server's request handler and keep-alive. */
export function createHttpsServer(material: TlsMaterial, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  return createServer({ cert: material.cert, key: material.key, keepAliveTimeout: 30_000 }, handler);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
}
