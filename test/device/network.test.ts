/**
 * Door controller networks (connection-service.md) on the device side: sites of reference
 * controllers in this process (src/device/site.ts), driven through `invoke` (a JSON request to a
 * controller's own endpoint) and the back door's TakeOffline, BringOnline, CutPeerLinks and
 * RestorePeerLinks. The peer list, replication, the majority rule, catch-up, a split network, UUID
 * routing, administrative users, event distribution, PeerConnection events, removing and leaving,
 * stand-alone mode, refused input, every connection quirk, and a full network of 33.
 *
 * Replication finishes before a response, but connection states, catch-up and invitations follow
 * heartbeats (100 ms here): what must happen is polled for, what must not is watched for several
 * heartbeats.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PEER_CONNECTION_TOPIC } from "../../src/device/connection/network.js";
import { CONNECTION_QUIRKS } from "../../src/device/connection/quirks.js";
import { NAMESPACES } from "../../src/device/operation.js";
import type { DeviceEvent, RunningDevice } from "../../src/device/server.js";
import { siteIdentity, startSite, type RunningSite, type SiteOptions } from "../../src/device/site.js";
import { parseXml } from "../../src/runtime/xml.js";
import { BASIC, SOAP_ENV, area, children, envelope, post } from "./helpers.js";
import type { PeerEntry } from "../../conformance/cases/connection/support.js";

const HEARTBEAT_MS = 100;
/** How long something asynchronous (a heartbeat's connection change, catch-up, an invitation) may take to show. */
const SETTLE_MS = 3000;
/** How long to watch for something that must not happen: six heartbeats. */
const QUIET_MS = 600;

const A = siteIdentity(0);
const B = siteIdentity(1);
const C = siteIdentity(2);

/** One GetPeerList entry, as the suite reads it. */
type Peer = PeerEntry;

interface PeerList {
  readonly Self: Peer;
  readonly Peer: readonly Peer[];
}

interface Logged {
  readonly UUID: string;
  readonly KeyValues: readonly { readonly Key: string; readonly Value: string }[];
}

type SiteSetup = Omit<SiteOptions, "controllers">;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A site of `n` controllers, closed however `fn` ends. */
async function withSite(n: number, options: SiteSetup, fn: (...controllers: RunningDevice[]) => Promise<void>): Promise<void> {
  const site = await startSite({ peerHeartbeatMs: HEARTBEAT_MS, clock: "virtual", ...options, controllers: n });
  try {
    await fn(...site.controllers);
  } finally {
    await site.close();
  }
}

/** Polls `probe` until `done` holds or `ms` pass; the last value, for the assertion that follows to show. */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = SETTLE_MS): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() >= deadline) return value;
    await sleep(20);
  }
}

async function peerList(d: RunningDevice): Promise<PeerList> {
  const r = await d.invoke("aconn", "GetPeerList", {});
  return { Self: r["Self"] as Peer, Peer: (r["Peer"] as Peer[] | undefined) ?? [] };
}

/** The peers a controller counts in its network, as "ID TrustState ConnectionState", sorted. */
async function members(d: RunningDevice): Promise<string[]> {
  return (await peerList(d)).Peer.filter((p) => p.TrustState === "InPeerNetwork" || p.TrustState === "RemovingFromPeerNetwork")
    .map((p) => `${p.ID} ${p.TrustState} ${p.ConnectionState}`)
    .sort();
}

async function standAlone(d: RunningDevice): Promise<unknown> {
  return (await d.invoke("aconn", "GetStandAloneMode", {}))["StandAlone"];
}

/** How `d` sees the peer `mac`: "TrustState ConnectionState", or "unlisted". */
async function seen(d: RunningDevice, mac: string): Promise<string> {
  const p = (await peerList(d)).Peer.find((x) => x.ID === mac);
  return p === undefined ? "unlisted" : `${p.TrustState} ${p.ConnectionState}`;
}

async function setArea(d: RunningDevice, name: string): Promise<string> {
  const r = await d.invoke("pacsaxis", "SetArea", { Area: [area("", name)] });
  const token = (r["Token"] as string[] | undefined)?.[0];
  if (token === undefined) throw new Error(`SetArea on ${d.identity.mac} returned no token: ${JSON.stringify(r)}`);
  return token;
}

async function areaOf(d: RunningDevice, token: string): Promise<Record<string, unknown> | undefined> {
  const r = await d.invoke("pacsaxis", "GetArea", { Token: [token] });
  return (r["Area"] as Record<string, unknown>[] | undefined)?.[0];
}

/** The names of every area a controller holds (all pages). */
async function areaNames(d: RunningDevice): Promise<string[]> {
  const names: string[] = [];
  let ref: string | undefined;
  do {
    const r = await d.invoke("pacsaxis", "GetAreaList", ref === undefined ? {} : { StartReference: ref });
    for (const a of (r["Area"] as { Name: string }[] | undefined) ?? []) names.push(a.Name);
    ref = r["NextStartReference"] as string | undefined;
  } while (ref !== undefined);
  return names;
}

/**
 * Whether `d` stores the area, read from its snapshot. Unlike a request, this leaves the
 * controller's network clock alone: any request to a controller that is away currently stops it
 * from catching up (see "catches up even when a client read it while it was away").
 */
function stores(d: RunningDevice, token: string): boolean {
  return (d.snapshot().entities["Area"]?.items ?? []).some((i) => (i as { token?: unknown }).token === token);
}

/** Whether every controller holds the area, as [mac, held]. */
async function holders(controllers: readonly RunningDevice[], token: string): Promise<[string, boolean][]> {
  return Promise.all(controllers.map(async (d): Promise<[string, boolean]> => [d.identity.mac, (await areaOf(d, token)) !== undefined]));
}

async function setControllerConfiguration(d: RunningDevice, deviceUuid: string): Promise<string> {
  const r = await d.invoke("pacsaxis", "SetAccessControllerConfiguration", { AccessControllerConfiguration: [{ token: "", DeviceUUID: deviceUuid, Configuration: [] }] });
  return (r["Token"] as string[])[0]!;
}

async function controllerUuid(d: RunningDevice, token: string): Promise<unknown> {
  const r = await d.invoke("pacsaxis", "GetAccessControllerConfiguration", { Token: [token] });
  return (r["AccessControllerConfiguration"] as Record<string, unknown>[] | undefined)?.[0]?.["DeviceUUID"];
}

/** The logged Virtualinput events of a controller (event-logger topic2), by the UUID that produced them. */
async function virtualInputEvents(d: RunningDevice, uuid: string): Promise<Logged[]> {
  const r = await d.invoke("axlog", "FetchEvents", { Filters: [{ Key: "topic2", Value: "Virtualinput" }], Limit: 100 });
  return ((r["Event"] as Logged[] | undefined) ?? []).filter((e) => e.UUID === uuid);
}

// The ONVIF device service has no JSON binding: administrative users go over SOAP.
const TDS_NS = ` xmlns:tds="${NAMESPACES.tds}" xmlns:tt="http://www.onvif.org/ver10/schema"`;

async function tds(d: RunningDevice, body: string): Promise<void> {
  const r = await post(d, "/vapix/services", envelope(body, TDS_NS), { authorization: BASIC, "content-type": "application/soap+xml; charset=utf-8" });
  if (r.status !== 200) throw new Error(`${body}: HTTP ${r.status}: ${r.text}`);
}

async function userNames(d: RunningDevice): Promise<string[]> {
  const r = await post(d, "/vapix/services", envelope("<tds:GetUsers/>", TDS_NS), { authorization: BASIC, "content-type": "application/soap+xml; charset=utf-8" });
  const body = parseXml(r.text).children.find((c) => c.ns === SOAP_ENV && c.local === "Body")!;
  return children(body.children[0]!, "User").map((u) => children(u, "Username")[0]?.text ?? "");
}

const createUser = (name: string): string => `<tds:CreateUsers><tds:User><tt:Username>${name}</tt:Username><tt:Password>Secret-123</tt:Password><tt:UserLevel>Operator</tt:UserLevel></tds:User></tds:CreateUsers>`;

/** The Status of every PeerConnection event naming `mac` as the peer, in order. */
const statuses = (events: readonly DeviceEvent[], mac: string): string[] => events.filter((e) => e.topic === PEER_CONNECTION_TOPIC && e.data["Peer"] === mac).map((e) => String(e.source["Status"]));

const peerEvents = (events: readonly DeviceEvent[], status: string, mac: string): DeviceEvent[] => events.filter((e) => e.topic === PEER_CONNECTION_TOPIC && e.source["Status"] === status && e.data["Peer"] === mac);

// ---------------------------------------------------------------------------------------------

describe("a network of three", () => {
  let site: RunningSite;
  let a: RunningDevice, b: RunningDevice, c: RunningDevice;
  beforeAll(async () => {
    site = await startSite({ controllers: 3, peerHeartbeatMs: HEARTBEAT_MS, clock: "virtual" });
    [a, b, c] = site.controllers as [RunningDevice, RunningDevice, RunningDevice];
  });
  afterAll(() => site.close());

  it("lists on each controller the two others InPeerNetwork and Connected with their DeviceUUIDs, Self with its own MAC and UUID, and stand-alone true", async () => {
    const all = [A, B, C];
    for (const [i, d] of [a, b, c].entries()) {
      const list = await peerList(d);
      expect(list.Self).toMatchObject({ ID: all[i]!.mac, DeviceUUID: all[i]!.uuid });
      const others = all.filter((_, j) => j !== i).map((x) => [x.mac, x.uuid, "InPeerNetwork", "Connected"]);
      expect(list.Peer.map((p) => [p.ID, p.DeviceUUID, p.TrustState, p.ConnectionState]).sort()).toEqual(others);
      expect(await standAlone(d)).toBe(true);
    }
  });

  it("replicates a SetArea with an empty token to the others with the same token and item, and a RemoveArea on another everywhere", async () => {
    const token = await setArea(a, "Lobby");
    const item = await areaOf(a, token);
    expect(item).toMatchObject({ token, Name: "Lobby" });
    for (const d of [b, c]) expect(await eventually(() => areaOf(d, token), (x) => x !== undefined)).toEqual(item);
    await b.invoke("pacsaxis", "RemoveArea", { Token: [token] });
    expect(await eventually(() => holders([a, b, c], token), (h) => h.every(([, held]) => !held))).toEqual([
      [A.mac, false],
      [B.mac, false],
      [C.mac, false],
    ]);
  });

  it("stores a configuration naming another controller's DeviceUUID with that UUID on every controller, and an empty one with the receiver's", async () => {
    const forB = await setControllerConfiguration(a, B.uuid);
    const own = await setControllerConfiguration(a, "");
    for (const d of [a, b, c]) {
      expect([d.identity.mac, await eventually(() => controllerUuid(d, forB), (u) => u !== undefined)]).toEqual([d.identity.mac, B.uuid]);
      expect([d.identity.mac, await eventually(() => controllerUuid(d, own), (u) => u !== undefined)]).toEqual([d.identity.mac, A.uuid]);
    }
  });

  it("propagates administrative users: created on one controller, listed on another; deleted, gone there too", async () => {
    await tds(a, createUser("installer"));
    expect(await eventually(() => userNames(b), (names) => names.includes("installer"))).toContain("installer");
    await tds(a, "<tds:DeleteUsers><tds:Username>installer</tds:Username></tds:DeleteUsers>");
    expect(await eventually(() => userNames(b), (names) => !names.includes("installer"))).not.toContain("installer");
  });
});

describe("the majority rule, catch-up and a split network", () => {
  it("refuses a change on a controller that sees only itself, stores it nowhere, and the others do not get it when they come back", async () => {
    await withSite(3, {}, async (a, b, c) => {
      b.stimulate({ Stimulus: "TakeOffline" });
      c.stimulate({ Stimulus: "TakeOffline" });
      // At once, A still counts them connected: the change is tried and undone.
      await expect(setArea(a, "while-going")).rejects.toThrow(/majority/);
      expect(await eventually(() => members(a), (m) => m.every((x) => x.endsWith("Disconnected")))).toEqual([`${B.mac} InPeerNetwork Disconnected`, `${C.mac} InPeerNetwork Disconnected`]);
      // Now A knows: refused before anything is written.
      await expect(setArea(a, "while-gone")).rejects.toThrow(/majority/);
      expect((await areaNames(a)).filter((n) => n.startsWith("while-"))).toEqual([]);
      b.stimulate({ Stimulus: "BringOnline" });
      c.stimulate({ Stimulus: "BringOnline" });
      expect(await eventually(() => members(a), (m) => m.every((x) => x.endsWith(" Connected")))).toEqual([`${B.mac} InPeerNetwork Connected`, `${C.mac} InPeerNetwork Connected`]);
      await sleep(QUIET_MS);
      for (const d of [a, b, c]) expect([d.identity.mac, (await areaNames(d)).filter((n) => n.startsWith("while-"))]).toEqual([d.identity.mac, []]);
    });
  });

  it("accepts a change with two of three connected, and the third catches up when it comes back", async () => {
    await withSite(3, {}, async (a, b, c) => {
      c.stimulate({ Stimulus: "TakeOffline" });
      const token = await setArea(a, "Missed");
      expect(await eventually(() => areaOf(b, token), (x) => x !== undefined)).toMatchObject({ token, Name: "Missed" });
      expect(stores(c, token)).toBe(false);
      c.stimulate({ Stimulus: "BringOnline" });
      expect(await eventually(() => areaOf(c, token), (x) => x !== undefined, 2000)).toMatchObject({ token, Name: "Missed" });
    });
  });

  // Regression: a request that changes nothing (a read) must not move the controller's Lamport
  // clock, or a controller read while it is away looks "ahead" and never pulls what it missed
  // (catch-up is tried when a peer's Clock is higher than its own).
  it("catches up even when a client read it while it was away", async () => {
    await withSite(3, {}, async (a, b, c) => {
      c.stimulate({ Stimulus: "TakeOffline" });
      const token = await setArea(a, "Missed");
      expect(await eventually(() => areaOf(b, token), (x) => x !== undefined)).toMatchObject({ token, Name: "Missed" });
      // "TakeOffline: … (clients still reach it)".
      expect(await areaOf(c, token)).toBeUndefined();
      c.stimulate({ Stimulus: "BringOnline" });
      expect(await eventually(() => areaOf(c, token), (x) => x !== undefined, 2000)).toMatchObject({ token, Name: "Missed" });
    });
  });

  it("split {A,B} | {C}: A accepts a change, C refuses one; with the links restored C catches up", async () => {
    await withSite(3, {}, async (a, b, c) => {
      a.stimulate({ Stimulus: "CutPeerLinks", Peers: C.mac });
      b.stimulate({ Stimulus: "CutPeerLinks", Peers: C.mac });
      c.stimulate({ Stimulus: "CutPeerLinks", Peers: `${A.mac},${B.mac}` });
      const token = await setArea(a, "Majority side");
      expect(await eventually(() => areaOf(b, token), (x) => x !== undefined)).toMatchObject({ token, Name: "Majority side" });
      await expect(setArea(c, "Minority side")).rejects.toThrow(/majority/);
      expect(stores(c, token)).toBe(false);
      for (const d of [a, b, c]) d.stimulate({ Stimulus: "RestorePeerLinks" });
      expect(await eventually(() => areaOf(c, token), (x) => x !== undefined, 2000)).toMatchObject({ token, Name: "Majority side" });
      for (const d of [a, b, c]) expect([d.identity.mac, (await areaNames(d)).includes("Minority side")]).toEqual([d.identity.mac, false]);
    });
  });
});

describe("events in a network", () => {
  it("logs an event of one controller on another with its UUID, until the other disables global distribution", async () => {
    await withSite(3, {}, async (a, b) => {
      b.stimulate({ Stimulus: "SetVirtualInput", Port: 1, Active: true });
      expect(await eventually(() => virtualInputEvents(a, B.uuid), (e) => e.length > 0)).toHaveLength(1);
      await a.invoke("axloc", "DisableGlobalDistribution", {});
      b.stimulate({ Stimulus: "SetVirtualInput", Port: 2, Active: true });
      expect(await eventually(() => virtualInputEvents(b, B.uuid), (e) => e.length === 2)).toHaveLength(2);
      await sleep(QUIET_MS);
      expect(await virtualInputEvents(a, B.uuid)).toHaveLength(1);
    });
  });

  it("publishes PeerConnection ConnectionLost when a peer goes offline and ConnectionEstablished when it is back", async () => {
    const events: DeviceEvent[] = [];
    // Two controllers: an event naming B as the peer can only come from A.
    await withSite(2, { onEvent: (e) => events.push(e) }, async (a, b) => {
      events.length = 0;
      b.stimulate({ Stimulus: "TakeOffline" });
      expect(await eventually(async () => peerEvents(events, "ConnectionLost", B.mac), (e) => e.length > 0)).toContainEqual(
        expect.objectContaining({ topic: "tns1:Device/tnsaxis:PeerConnection", source: { Status: "ConnectionLost" }, data: { Peer: B.mac } }),
      );
      expect(await eventually(() => seen(a, B.mac), (s) => s === "InPeerNetwork Disconnected")).toBe("InPeerNetwork Disconnected");
      // Requests B sent just before it went offline may still land on A (a ConnectionEstablished, then Lost again); A ends with Lost.
      expect(statuses(events, B.mac).at(-1)).toBe("ConnectionLost");
      const before = events.length;
      b.stimulate({ Stimulus: "BringOnline" });
      expect(await eventually(async () => peerEvents(events.slice(before), "ConnectionEstablished", B.mac), (e) => e.length > 0)).toEqual([
        expect.objectContaining({ source: { Status: "ConnectionEstablished" }, data: { Peer: B.mac } }),
      ]);
    });
  });

  // Regression: a peer request B had in flight when it went offline completes afterwards; its
  // answer must not mark the peer Connected again (B would announce ConnectionEstablished while
  // offline, and nothing when it comes back).
  it("publishes nothing but ConnectionLost on a controller that goes offline with a peer request in flight", async () => {
    const events: DeviceEvent[] = [];
    // Two controllers: an event naming A as the peer can only come from B.
    await withSite(2, { onEvent: (e) => events.push(e) }, async (_a, b) => {
      events.length = 0;
      // B's SetArea is sent to A; B goes offline before the answer is back.
      const change = setArea(b, "In flight").catch(() => "refused");
      b.stimulate({ Stimulus: "TakeOffline" });
      await change;
      await sleep(QUIET_MS);
      expect(await seen(b, A.mac)).toBe("InPeerNetwork Disconnected");
      expect(statuses(events, A.mac)).toEqual(["ConnectionLost"]);
      b.stimulate({ Stimulus: "BringOnline" });
      expect(await eventually(async () => statuses(events, A.mac), (s) => s.length > 1)).toEqual(["ConnectionLost", "ConnectionEstablished"]);
    });
  });
});

describe("leaving a network", () => {
  it("RemovePeers: the removed controller is alone and stand-alone without the network's configuration; the others list it no more", async () => {
    await withSite(3, {}, async (a, b, c) => {
      const token = await setArea(a, "Shared");
      expect(await eventually(() => areaOf(c, token), (x) => x !== undefined)).toBeDefined();
      await a.invoke("aconn", "RemovePeers", { Peer: [{ ID: C.mac }] });
      expect(await eventually(() => members(c), (m) => m.length === 0)).toEqual([]);
      expect(await standAlone(c)).toBe(true);
      for (const d of [a, b]) expect([d.identity.mac, await eventually(() => members(d), (m) => m.length === 1)]).toEqual([d.identity.mac, [`${(d === a ? B : A).mac} InPeerNetwork Connected`]]);
      // connection-service.md: hardware configuration stays, the rest is deleted.
      expect(await areaOf(c, token)).toBeUndefined();
      for (const d of [a, b]) expect(await areaOf(d, token)).toMatchObject({ Name: "Shared" });
    });
  });

  it("LeaveNetwork: the controller lists no peer in a network and keeps its configuration", async () => {
    await withSite(3, {}, async (_a, b) => {
      const token = await setArea(b, "Kept");
      await b.invoke("aconn", "LeaveNetwork", {});
      expect(await members(b)).toEqual([]);
      await sleep(QUIET_MS);
      expect(await members(b)).toEqual([]);
      expect(await areaOf(b, token)).toMatchObject({ token, Name: "Kept" });
    });
  });
});

describe("stand-alone mode", () => {
  it("a stand-alone controller refuses an invitation (PairingFailed) and accepts one once stand-alone is off", async () => {
    await withSite(2, { join: false }, async (a, b) => {
      expect(await standAlone(b)).toBe(false);
      await b.invoke("aconn", "SetStandAloneMode", { StandAlone: true });
      expect(await standAlone(b)).toBe(true);
      await a.invoke("aconn", "AddPeers", { Peer: [{ ID: B.mac, ExpectedAddress: b.host }] });
      expect(await eventually(() => seen(a, B.mac), (s) => s.endsWith("PairingFailed"))).toBe("NotInPeerNetwork PairingFailed");
      await sleep(QUIET_MS);
      expect([await members(a), await members(b)]).toEqual([[], []]);
      await b.invoke("aconn", "SetStandAloneMode", { StandAlone: false });
      await a.invoke("aconn", "AddPeers", { Peer: [{ ID: B.mac, ExpectedAddress: b.host }] });
      expect(await eventually(() => seen(a, B.mac), (s) => s === "InPeerNetwork Connected")).toBe("InPeerNetwork Connected");
      expect(await eventually(() => seen(b, A.mac), (s) => s === "InPeerNetwork Connected")).toBe("InPeerNetwork Connected");
      expect([await standAlone(a), await standAlone(b)]).toEqual([true, true]);
    });
  });
});

describe("refused AddPeers and RemovePeers", () => {
  it("refuses malformed, self-naming, oversized and unknown requests in a network of three and changes nothing", async () => {
    await withSite(3, {}, async (a, b, c) => {
      const before = await Promise.all([a, b, c].map(peerList));
      const refused: [string, Record<string, unknown>, RegExp][] = [
        ["AddPeers", { Peer: [{ ID: "00408C18ZZZZ" }] }, /ter:InvalidArgVal.*00408C18ZZZZ/],
        ["AddPeers", { Peer: [{ ExpectedAddress: "300.1.1.1" }] }, /ter:InvalidArgVal.*300\.1\.1\.1/],
        ["AddPeers", { Peer: [{}] }, /ter:InvalidArgVal/],
        ["AddPeers", { Peer: [{ ID: A.mac }] }, /ter:InvalidArgVal/],
        // 3 + 31 = 34 controllers.
        ["AddPeers", { Peer: Array.from({ length: 31 }, (_, i) => ({ ID: siteIdentity(100 + i).mac })) }, /ter:InvalidArgVal.*33/],
        ["RemovePeers", { Peer: [{ ID: "00408C18FFFF" }] }, /ter:NotFound/],
        ["RemovePeers", { Peer: [{ ID: A.mac }] }, /ter:InvalidArgVal/],
      ];
      for (const [op, input, fault] of refused) await expect(a.invoke("aconn", op, input)).rejects.toThrow(fault);
      await sleep(QUIET_MS);
      expect(await Promise.all([a, b, c].map(peerList))).toEqual(before);
    });
  });

  it("on a lone controller, 33 new IDs are refused (the network would have 34) and 32 accepted", async () => {
    await withSite(1, {}, async (a) => {
      const before = await peerList(a);
      const ids = (n: number): { ID: string }[] => Array.from({ length: n }, (_, i) => ({ ID: siteIdentity(100 + i).mac }));
      await expect(a.invoke("aconn", "AddPeers", { Peer: ids(33) })).rejects.toThrow(/ter:InvalidArgVal.*34/);
      expect(await peerList(a)).toEqual(before);
      await expect(a.invoke("aconn", "AddPeers", { Peer: ids(32) })).resolves.toEqual({});
    });
  });
});

// ---------------------------------------------------------------------------------------------

interface QuirkCase {
  readonly controllers: number;
  check(controllers: RunningDevice[], events: DeviceEvent[]): Promise<void>;
}

/** One focused check per connection quirk: the site breaks exactly the rule the quirk names. */
const QUIRK_CASES: Record<string, QuirkCase> = {
  "connection-self-uuid-missing": {
    controllers: 1,
    async check([a]) {
      expect((await peerList(a!)).Self).toMatchObject({ ID: A.mac, DeviceUUID: "" });
    },
  },
  "connection-stand-alone-not-stored": {
    controllers: 1,
    async check([a]) {
      await expect(a!.invoke("aconn", "SetStandAloneMode", { StandAlone: true })).resolves.toEqual({});
      expect(await standAlone(a!)).toBe(false);
    },
  },
  "connection-peer-id-unchecked": {
    controllers: 1,
    async check([a]) {
      await expect(a!.invoke("aconn", "AddPeers", { Peer: [{ ID: "00408C18ZZZZ" }] })).resolves.toEqual({});
      expect(await eventually(() => seen(a!, "00408C18ZZZZ"), (s) => s.endsWith("PairingFailed"))).toBe("NotInPeerNetwork PairingFailed");
    },
  },
  "connection-remove-unknown-accepted": {
    controllers: 3,
    async check([a]) {
      await expect(a!.invoke("aconn", "RemovePeers", { Peer: [{ ID: "00408C18FFFF" }] })).resolves.toEqual({});
      expect(await members(a!)).toEqual([`${B.mac} InPeerNetwork Connected`, `${C.mac} InPeerNetwork Connected`]);
    },
  },
  "network-replication-skips-peer": {
    controllers: 3,
    async check([a, b, c]) {
      const token = await setArea(a!, "Skipped");
      expect(await eventually(() => areaOf(b!, token), (x) => x !== undefined)).toBeDefined();
      await sleep(QUIET_MS);
      // C has the highest MAC, and stays connected.
      expect(await areaOf(c!, token)).toBeUndefined();
      expect(await seen(a!, C.mac)).toBe("InPeerNetwork Connected");
    },
  },
  "network-majority-ignored": {
    controllers: 3,
    async check([a, b, c]) {
      b!.stimulate({ Stimulus: "TakeOffline" });
      c!.stimulate({ Stimulus: "TakeOffline" });
      expect(await eventually(() => members(a!), (m) => m.every((x) => x.endsWith("Disconnected")))).toEqual([`${B.mac} InPeerNetwork Disconnected`, `${C.mac} InPeerNetwork Disconnected`]);
      const token = await setArea(a!, "Alone");
      expect(await areaOf(a!, token)).toMatchObject({ Name: "Alone" });
    },
  },
  "network-no-catch-up": {
    controllers: 3,
    async check([a, b, c]) {
      c!.stimulate({ Stimulus: "TakeOffline" });
      const token = await setArea(a!, "Missed");
      expect(await eventually(() => areaOf(b!, token), (x) => x !== undefined)).toBeDefined();
      c!.stimulate({ Stimulus: "BringOnline" });
      expect(await eventually(() => seen(a!, C.mac), (s) => s === "InPeerNetwork Connected")).toBe("InPeerNetwork Connected");
      await sleep(QUIET_MS);
      expect(await areaOf(c!, token)).toBeUndefined();
    },
  },
  "network-routing-ignores-uuid": {
    controllers: 3,
    async check([a, b]) {
      const token = await setControllerConfiguration(a!, B.uuid);
      expect(await controllerUuid(a!, token)).toBe(A.uuid);
      expect(await eventually(() => controllerUuid(b!, token), (u) => u !== undefined)).toBe(A.uuid);
    },
  },
  "network-events-not-distributed": {
    controllers: 3,
    async check([a, b]) {
      b!.stimulate({ Stimulus: "SetVirtualInput", Port: 1, Active: true });
      expect(await virtualInputEvents(b!, B.uuid)).toHaveLength(1);
      await sleep(QUIET_MS);
      expect(await virtualInputEvents(a!, B.uuid)).toEqual([]);
    },
  },
  "network-accounts-not-distributed": {
    controllers: 3,
    async check([a, b]) {
      await tds(a!, createUser("installer"));
      expect(await userNames(a!)).toContain("installer");
      await sleep(QUIET_MS);
      expect(await userNames(b!)).not.toContain("installer");
    },
  },
  "network-peer-list-stale": {
    controllers: 3,
    async check([a, b]) {
      b!.stimulate({ Stimulus: "TakeOffline" });
      await sleep(QUIET_MS);
      expect(await seen(a!, B.mac)).toBe("InPeerNetwork Connected");
    },
  },
  "network-stand-alone-ignored": {
    controllers: 3,
    async check(controllers) {
      expect(await Promise.all(controllers.map(standAlone))).toEqual([false, false, false]);
    },
  },
  "network-removed-peer-not-told": {
    controllers: 3,
    async check([a, b, c]) {
      await a!.invoke("aconn", "RemovePeers", { Peer: [{ ID: C.mac }] });
      expect(await eventually(() => members(b!), (m) => m.length === 1)).toEqual([`${A.mac} InPeerNetwork Connected`]);
      await sleep(QUIET_MS);
      expect((await members(c!)).map((m) => m.split(" ").slice(0, 2).join(" "))).toEqual([`${A.mac} InPeerNetwork`, `${B.mac} InPeerNetwork`]);
    },
  },
  "network-no-peer-events": {
    controllers: 2,
    async check([a, b], events) {
      b!.stimulate({ Stimulus: "TakeOffline" });
      await sleep(QUIET_MS);
      b!.stimulate({ Stimulus: "BringOnline" });
      expect(await eventually(() => seen(a!, B.mac), (s) => s === "InPeerNetwork Connected")).toBe("InPeerNetwork Connected");
      expect(events.filter((e) => e.topic === PEER_CONNECTION_TOPIC)).toEqual([]);
    },
  },
};

describe("connection quirks", () => {
  it("has one focused test here for every connection quirk", () => {
    expect(Object.keys(QUIRK_CASES).sort()).toEqual(CONNECTION_QUIRKS.map((q) => q.name).sort());
  });

  it.each(Object.keys(QUIRK_CASES))("%s", async (name) => {
    const events: DeviceEvent[] = [];
    const c = QUIRK_CASES[name]!;
    await withSite(c.controllers, { quirks: [name], onEvent: (e) => events.push(e) }, async (...controllers) => {
      expect(controllers.map((d) => d.quirks)).toEqual(controllers.map(() => [name]));
      await c.check(controllers, events);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("a full network", () => {
  // The "Done when": the largest network the documentation allows, at the default heartbeat.
  it("starts 33 controllers that all join, and one SetArea on controller 0 is then readable on all 33", async () => {
    const site = await startSite({ controllers: 33, clock: "virtual" });
    try {
      const token = await setArea(site.controllers[0]!, "Everywhere");
      const held = await eventually(() => holders(site.controllers, token), (h) => h.every(([, x]) => x));
      expect(held.filter(([, x]) => !x)).toEqual([]);
    } finally {
      await site.close();
    }
  }, 60_000);
});
