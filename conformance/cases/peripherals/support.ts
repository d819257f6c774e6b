/**
 * What the peripheral checks share (peripherals.md "Elevator access control"): the search the
 * guide sends to axissd:GetServiceProviderList, reading its providers, and remote devices of the
 * run added with axrio:SetDevice.
 *
 * Adding a remote device acts beyond the run's data: the door controller connects to that address
 * and synchronises events and schedules with it, and axrio documents no operation that removes a
 * device again. So the suite adds devices only on a device it owns (the built-in reference device)
 * and removes them through its back door (RemoveRemoteDevice). Discovery itself only searches.
 */
import type { CheckContext, Stimulus } from "../../harness/types.js";
import { docSections, itemsOf } from "../../harness/entity.js";
import { requireOps } from "../../harness/items.js";

export const SD_SERVICE = "ServiceDiscovery";
export const RIO_SERVICE = "RemoteIO";
export const PERIPHERALS_DOC = "peripherals.md";
export const section = docSections(PERIPHERALS_DOC);
export const FIND_DEVICES = section("find-remote-devices");
export const ADD_DEVICE = section("add-a-remote-device");
export const FIND_IOS = section("find-remote-ios");

export const GET_LIST = "axissd:GetServiceProviderList";
export const SET_DEVICE = "axrio:SetDevice";

/** 'remote I/O', the type the guide searches for. */
export const RIO = "RIO";
export const NOT_ADDED = "NotAdded";
/** ONVIF generic fault for an invalid argument value (no fault is documented). */
export const INVALID_ARG_VAL = { code: "env:Sender", subcodes: ["ter:InvalidArgVal"] } as const;

export const NO_REMOVE = "axrio documents no operation that removes a remote device (peripherals.md shows SetDevice only)";
export const OWNED_ONLY = `adding a remote I/O device makes the door controller connect to that address and synchronise events and schedules with it, and ${NO_REMOVE}: this runs only against the built-in reference device (pacs-conformance run without --device), whose back door removes the device again`;

/** How long a discovery runs between polls, in seconds (the guide's value). */
const TIMEOUT = 10;

export interface SearchAttribute {
  readonly Name: string;
  readonly Value: string;
}

/** The guide's search: Timeout 10, IO=Eth0 (remote I/O modules on the controller's network), the Type, and more attributes. */
export function searchInput(type: string, more: readonly SearchAttribute[] = []): Record<string, unknown> {
  return { Timeout: TIMEOUT, Attributes: [{ Name: "IO", Value: "Eth0", type: "string" }, ...more.map((a) => ({ ...a, type: "string" }))], Type: type };
}

/** The ServiceProviderList items of a response. */
export function providersOf(response: unknown): Record<string, unknown>[] {
  return itemsOf(response, "ServiceProviderList");
}

/** The Value of a provider's attribute `name` (IP, MAC), if it has one. */
export function attributeOf(provider: Record<string, unknown>, name: string): string | undefined {
  const found = itemsOf(provider, "Attributes").find((a) => a["Name"] === name);
  return found === undefined || typeof found["Value"] !== "string" ? undefined : found["Value"];
}

export function describeProvider(p: Record<string, unknown>): string {
  return `provider Id ${JSON.stringify(p["Id"] ?? null)} IP ${JSON.stringify(attributeOf(p, "IP") ?? null)} Status ${JSON.stringify(p["Status"] ?? null)}`;
}

/**
 * The providers a search finds. Discovery is polled ("the first call starts the discovery
 * process"): while the answer is empty, it is asked again up to twice, a second of device time
 * apart. Returns every answer's providers, last answer last.
 */
export async function discover(ctx: CheckContext, type: string, more: readonly SearchAttribute[] = [], polls = 3): Promise<Record<string, unknown>[][]> {
  requireOps(ctx, GET_LIST);
  const answers: Record<string, unknown>[][] = [];
  for (let i = 0; i < polls; i++) {
    if (i > 0) await ctx.physical.elapse(1000);
    answers.push(providersOf(await ctx.call(GET_LIST, searchInput(type, more))));
    if (answers[i]!.length > 0) break;
  }
  return answers;
}

/** Applies a back-door stimulus now and its undo after the check (errors of the undo ignored: it may have nothing to undo). */
export async function stimulateUntil(ctx: CheckContext, s: Stimulus, undo: Stimulus): Promise<Record<string, unknown>> {
  ctx.onCleanup(`${undo.Stimulus} ${JSON.stringify(undo)}`, async () => {
    await ctx.physical.stimulate(undo).catch(() => undefined);
  });
  return ctx.physical.stimulate(s);
}

/** Registers the removal of a remote device of the run after the check (the token may only be known later). */
export function removeAfterwards(ctx: CheckContext, token: () => string | undefined): void {
  ctx.onCleanup("remove the remote device of the run (back door RemoveRemoteDevice)", async () => {
    const t = token();
    if (t !== undefined && t !== "" && ctx.physical.via === "backdoor") await ctx.physical.stimulate({ Stimulus: "RemoveRemoteDevice", Token: t }).catch(() => undefined);
  });
}

/**
 * Skips unless the run may add a remote device: it owns the device, and the back door can remove it
 * again. Also for checks that expect SetDevice to refuse: a device that wrongly accepts keeps the device.
 */
export function claimRemoteDevice(ctx: CheckContext, ops: readonly string[] = [SET_DEVICE, GET_LIST]): void {
  requireOps(ctx, ...ops);
  if (!ctx.ownsDevice) ctx.skip(OWNED_ONLY);
  if (ctx.physical.via !== "backdoor") ctx.skip(`${NO_REMOVE}, and without the reference device's back door (RemoveRemoteDevice) the run could not remove a device it adds`);
}

/** An address in TEST-NET-1 (192.0.2.0/24, RFC 5737: never routed) of this run's seed, clear of the reference network's first hosts. */
export function testNetAddress(ctx: CheckContext): string {
  return `192.0.2.${ctx.rng.int(100, 199)}`;
}

/**
 * Where the run's remote device goes: the first remote I/O module discovery finds that is not
 * added yet (as the guide adds one), else a TEST-NET-1 address no device answers at.
 */
export async function ownAddress(ctx: CheckContext): Promise<{ ip: string; mac?: string }> {
  const found = (await discover(ctx, RIO)).at(-1) ?? [];
  const free = found.find((p) => p["Status"] === NOT_ADDED && attributeOf(p, "IP") !== undefined);
  if (free === undefined) return { ip: testNetAddress(ctx) };
  const mac = attributeOf(free, "MAC");
  return { ip: attributeOf(free, "IP")!, ...(mac !== undefined ? { mac } : {}) };
}

/** A SetDevice request for one device of the run: its Name carries the run's prefix; the token only when given. */
export function deviceRequest(name: string, address: { ip: string; mac?: string }, token?: string): Record<string, unknown> {
  return {
    Device: [
      {
        ...(token !== undefined ? { token } : {}),
        Name: name,
        Username: "pcx-conformance",
        Password: "pcx-conformance",
        ...(address.mac !== undefined ? { MACAddress: address.mac } : {}),
        IPAddress: address.ip,
      },
    ],
  };
}
