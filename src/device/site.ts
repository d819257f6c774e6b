/**
 * A site: N reference door controllers (1–33) in one process, each with its own loopback port,
 * MAC, serial, UUID and state. They share nothing but the peer protocol (connection/peer-link.ts)
 * and its secret: a controller of a site is the same controller `device` runs alone. Unless told
 * otherwise, the first controller invites the others with aconn:AddPeers (as a request to its own
 * JSON endpoint would), and the site is ready when every controller sees every other InPeerNetwork and
 * Connected.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join as joinPath } from "node:path";
import { MAX_NETWORK_SIZE } from "./connection/index.js";
import { ProfileError, resolveServices } from "./profile.js";
import { DeviceConfigError, startDevice, type DeviceOptions, type RunningDevice } from "./server.js";
import { selfSignedCertificate } from "./tls.js";

export interface SiteOptions extends Omit<DeviceOptions, "identity" | "port" | "peerSecret" | "peerDirectory" | "stateDir"> {
  /** How many controllers (1–33). */
  readonly controllers: number;
  /** The first controller's port; the others follow it (default: free ports). */
  readonly basePort?: number;
  /** Form the network (default true); false leaves N stand-alone controllers that discover each other. */
  readonly join?: boolean;
  /** How long joining may take (default 30 s). */
  readonly joinTimeoutMs?: number;
  /**
   * Keep the site in this directory: each controller's state in `<dir>/<MAC>` (as `device --state`
   * keeps one) and the site's peer secret in `<dir>/peer-secret`, so a site started again is the
   * same network with the same configuration, whatever ports its controllers get.
   */
  readonly stateDir?: string;
  // `tls` (from DeviceOptions): every controller serves HTTPS too, with its certificate and key or
  // one self-signed certificate for all (made once); its `port` is the first controller's HTTPS
  // port, the others take the following ones (default: free ports). Peers still talk over HTTP.
}

export interface RunningSite {
  readonly controllers: readonly RunningDevice[];
  close(): Promise<void>;
}

/** The i-th controller's identity: MACs from 00408C18A000 upwards, UUIDs in the Axis style ending in the MAC. */
export function siteIdentity(i: number): { mac: string; uuid: string } {
  const mac = `00408C18${(0xa000 + i).toString(16).toUpperCase().padStart(4, "0")}`;
  return { mac, uuid: `5581ad80-95b0-11e0-b883-${mac.toLowerCase()}` };
}

export async function startSite(options: SiteOptions): Promise<RunningSite> {
  const n = options.controllers;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_NETWORK_SIZE) throw new DeviceConfigError(`controllers ${n}: a door controller network has 1 to ${MAX_NETWORK_SIZE} controllers`);
  const { controllers: _n, basePort, join, joinTimeoutMs, tls, stateDir, ...deviceOptions } = options;
  // The site forms its network with the connection service's AddPeers, as an installer would.
  if (join !== false && n > 1 && !servesConnection(options.services)) {
    throw new DeviceConfigError(`services leave out the connection service (aconn), which a joined site needs to form its network; add Connection to services, or leave the controllers unjoined (join: false, --unjoined)`);
  }
  const secret = stateDir === undefined ? randomBytes(32).toString("hex") : siteSecret(stateDir);
  // One certificate for the whole site: making a self-signed RSA key per controller would cost ~0.1 s each.
  const material = tls === undefined ? undefined : tls.cert === undefined && tls.key === undefined ? await selfSignedCertificate() : (({ port: _port, ...given }) => given)(tls);
  const started: RunningDevice[] = [];
  try {
    for (let i = 0; i < n; i++) {
      started.push(
        await startDevice({
          ...deviceOptions,
          identity: siteIdentity(i),
          peerSecret: secret,
          ...(stateDir === undefined ? {} : { stateDir: joinPath(stateDir, siteIdentity(i).mac) }),
          ...(basePort === undefined || basePort === 0 ? {} : { port: basePort + i }),
          ...(tls === undefined ? {} : { tls: { ...material, port: tls.port === undefined || tls.port === 0 ? 0 : tls.port + i } }),
        }),
      );
    }
    const urls = started.map((d) => d.url);
    for (const d of started) d.setPeerDirectory(urls);
    if (join !== false && n > 1) await formNetwork(started, joinTimeoutMs ?? 30_000);
  } catch (err) {
    await Promise.all(started.map((d) => d.close()));
    throw err;
  }
  return {
    controllers: started,
    close: async () => {
      await Promise.all(started.map((d) => d.close()));
    },
  };
}

const SECRET_FILE = "peer-secret";

/** The site's peer secret kept in `dir` (made and written, readable by its owner only, the first time). */
function siteSecret(dir: string): string {
  const file = joinPath(dir, SECRET_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as { code?: unknown }).code !== "ENOENT") throw new DeviceConfigError(`${file}: cannot read the site's peer secret: ${(err as Error).message}`);
  }
  if (text !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(text)) throw new DeviceConfigError(`${file} does not hold a peer secret (64 hexadecimal digits); is this a site's state directory?`);
    return text;
  }
  const secret = randomBytes(32).toString("hex");
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    throw new DeviceConfigError(`${file}: cannot keep the site's peer secret: ${(err as Error).message}`);
  }
  return secret;
}

/** Whether `services` serve aconn (a bad name is startDevice's to refuse). */
function servesConnection(services: readonly string[] | undefined): boolean {
  try {
    return resolveServices(services).has("aconn");
  } catch (err) {
    if (err instanceof ProfileError) return true;
    throw err;
  }
}

/**
 * The first controller invites the others it does not have in its network yet (by ID and address,
 * as an installer would; none when a kept site came back whole) and the site waits until all are in.
 */
async function formNetwork(controllers: readonly RunningDevice[], timeoutMs: number): Promise<void> {
  const [first, ...rest] = controllers as [RunningDevice, ...RunningDevice[]];
  const members = new Set((((await first.invoke("aconn", "GetPeerList", {}))["Peer"] as { ID: string; TrustState: string }[] | undefined) ?? []).filter((p) => p.TrustState === "InPeerNetwork").map((p) => p.ID));
  const peers = rest.filter((d) => !members.has(d.identity.mac)).map((d) => ({ ID: d.identity.mac, ExpectedAddress: d.host }));
  if (peers.length > 0) await first.invoke("aconn", "AddPeers", { Peer: peers });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lists = await Promise.all(controllers.map((d) => d.invoke("aconn", "GetPeerList", {})));
    const ready = lists.every((l) => {
      const list = (l["Peer"] as { TrustState: string; ConnectionState: string }[] | undefined) ?? [];
      return list.filter((p) => p.TrustState === "InPeerNetwork" && p.ConnectionState === "Connected").length === controllers.length - 1;
    });
    if (ready) return;
    if (Date.now() > deadline) throw new DeviceConfigError(`the site's ${controllers.length} controllers did not all join within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
