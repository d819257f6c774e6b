/** Raw HTTP helpers for the device tests: requests are written by hand, responses read raw. */
import { afterEach, beforeEach, jest } from "@jest/globals";
import { VirtualClock } from "../../src/device/clock.js";
import { JSON_PATHS, isServicePrefix } from "../../src/device/operation.js";
import { parseQuirks } from "../../src/device/quirks.js";
import { composeServices } from "../../src/device/service.js";
import { ALL_QUIRKS, SERVICES, allEntities } from "../../src/device/services.js";
import { DeviceState } from "../../src/device/state.js";
import { startDevice, type DeviceOptions, type RunningDevice } from "../../src/device/server.js";
import { parseXml } from "../../src/runtime/xml.js";
import type { XmlElement } from "../../src/runtime/model.js";

export const BASIC = `Basic ${Buffer.from("root:pass").toString("base64")}`;

/**
 * The whole device's state without HTTP, composed as server.ts composes it: every service
 * attached and (unless `defaults` is false) its factory defaults installed. The clock is virtual,
 * at 2026-01-05T08:00:00Z unless given.
 */
export function composedState(options: { clock?: VirtualClock; quirks?: readonly string[]; defaults?: boolean } = {}): DeviceState {
  const state = new DeviceState({
    identity: { mac: "00408C184BDB", uuid: "u" },
    maxLimit: 100,
    startReferenceTtlMs: 60_000,
    quirks: parseQuirks(options.quirks ?? [], ALL_QUIRKS),
    decls: allEntities(),
    clock: options.clock ?? new VirtualClock(Date.parse("2026-01-05T08:00:00Z")),
  });
  composeServices(state, SERVICES);
  for (const s of SERVICES) s.attach?.(state);
  if (options.defaults !== false) for (const s of SERVICES) s.installDefaults?.(state);
  return state;
}
export const SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope";
export const PACS = "http://www.axis.com/vapix/ws/pacs";
export const TAC = "http://www.onvif.org/ver10/accesscontrol/wsdl";
export const TER = "http://www.onvif.org/ver10/error";

export interface Raw {
  status: number;
  headers: Headers;
  text: string;
}

export async function post(device: RunningDevice, path: string, body: string, headers: Record<string, string> = { authorization: BASIC }): Promise<Raw> {
  const res = await fetch(`${device.url}${path}`, { method: "POST", headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** POST {"<op>": input} to the operation's JSON path (/vapix/pacs, /vapix/doorcontrol, …); returns status and the parsed body. */
export async function json(device: RunningDevice, op: string, input: unknown = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const prefix = op.slice(0, op.indexOf(":"));
  const r = await post(device, (isServicePrefix(prefix) ? JSON_PATHS[prefix] : undefined) ?? "/vapix/pacs", JSON.stringify({ [op]: input }));
  return { status: r.status, body: JSON.parse(r.text) as Record<string, unknown> };
}

/** Like `json` but fails the test on a non-200 answer. */
export async function ok(device: RunningDevice, op: string, input: unknown = {}): Promise<Record<string, any>> {
  const r = await json(device, op, input);
  if (r.status !== 200) throw new Error(`${op}: HTTP ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export function envelope(bodyXml: string, extraNs = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV}"${extraNs}><SOAP-ENV:Header/><SOAP-ENV:Body>${bodyXml}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

/** POST /vapix/services; returns status and the Body's child element. */
export async function soap(device: RunningDevice, bodyXml: string, extraNs = ""): Promise<{ status: number; el: XmlElement; text: string }> {
  const r = await post(device, "/vapix/services", envelope(bodyXml, extraNs), { authorization: BASIC, "content-type": "application/soap+xml; charset=utf-8" });
  const root = parseXml(r.text);
  const body = root.children.find((c) => c.ns === SOAP_ENV && c.local === "Body")!;
  return { status: r.status, el: body.children[0]!, text: r.text };
}

export function children(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local);
}

export function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs.find((a) => a.local === name)?.value;
}

/** code + subcode chain of a SOAP Fault element, with prefixes resolved to env:/ter:. */
export function soapFaultCodes(fault: XmlElement): string[] {
  const out: string[] = [];
  let node: XmlElement | undefined = fault.children.find((c) => c.local === "Code");
  while (node !== undefined) {
    const value = node.children.find((c) => c.local === "Value")!.text.trim();
    out.push(value);
    node = node.children.find((c) => c.local === "Subcode");
  }
  return out;
}

/** JSON fault → [code, ...subcodes]. */
export function jsonFaultCodes(body: Record<string, unknown>): string[] {
  const out = [String(body["Fault"])];
  if (body["FaultCode"] !== undefined) out.push(String(body["FaultCode"]));
  if (body["FaultSubCode"] !== undefined) out.push(...String(body["FaultSubCode"]).split(" "));
  return out;
}

export async function withDevice<T>(options: DeviceOptions, fn: (device: RunningDevice) => Promise<T>): Promise<T> {
  const device = await startDevice(options);
  try {
    return await fn(device);
  } finally {
    await device.close();
  }
}

/** Walks a JSON list operation to the end; returns the pages' item tokens. */
export async function walk(device: RunningDevice, op: string, field: string, limit?: number, maxPages = 1000): Promise<string[][]> {
  const pages: string[][] = [];
  let ref: string | undefined;
  do {
    const input: Record<string, unknown> = {};
    if (limit !== undefined) input["Limit"] = limit;
    if (ref !== undefined) input["StartReference"] = ref;
    const body = await ok(device, op, input);
    pages.push(((body[field] as { token: string }[] | undefined) ?? []).map((i) => i.token));
    ref = body["NextStartReference"] as string | undefined;
    if (pages.length > maxPages) throw new Error(`${op}: walk did not end after ${maxPages} pages`);
  } while (ref !== undefined);
  return pages;
}

export function area(token: string, name = `Area ${token}`): Record<string, unknown> {
  return { token, Name: name, Description: "", Attribute: [] };
}

/** An axtdc:Door with the guide's timings (AccessTime 5 s, OpenTooLongTime 20 s, PreAlarmTime 5 s). */
export function door(token: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token,
    Name: `Door ${token}`,
    Description: "test door",
    AccessTime: "PT5S",
    OpenTooLongTime: "PT20S",
    PreAlarmTime: "PT5S",
    ExtendedAccessTime: "PT15S",
    ExtendedOpenTooLongTime: "PT40S",
    HeartbeatInterval: "PT600S",
    PriorityConfiguration: "Standard",
    DefaultPriority: "",
    ...extra,
  };
}

export function accessPoint(token: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token,
    Name: `Entry ${token}`,
    Description: "Entry 1 main door",
    AreaFrom: "",
    AreaTo: "",
    EntityType: "axtdc:Door",
    Entity: "Door0",
    DoorDeviceUUID: "",
    Enabled: true,
    IdPointDevice: [{ IdPoint: "idpoint_token", DeviceUUID: "" }],
    AuthenticationProfile: ["CardOnly"],
    Attribute: [],
    ActionArgument: [],
    Action: "Access",
    ...extra,
  };
}

export function credential(token: string, card: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token,
    UserToken: "user_token1",
    Description: "Credential description",
    ValidFrom: "1997-01-01T00:00:00Z",
    ValidTo: "2038-01-01T00:00:00Z",
    Enabled: true,
    Status: "Enabled",
    IdData: [
      { Name: "Card", Value: card },
      { Name: "PIN", Value: "1234" },
    ],
    Attribute: [],
    AuthenticationProfile: [],
    CredentialAccessProfile: [],
    ...extra,
  };
}

/**
 * Captures what the commands under test write to stdout and stderr: registers the spies for each
 * test of the enclosing describe block (or file) and gives what was written so far.
 */
export function captureOutput(): { out: string; err: string } {
  const io = { out: "", err: "" };
  beforeEach(() => {
    io.out = "";
    io.err = "";
    jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      io.out += String(chunk);
      return true;
    });
    jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      io.err += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  return io;
}

