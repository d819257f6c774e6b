/**
 * The event figures of `npm run bench`, against a reference device in its own process:
 *  - latency from a physical stimulus (a back-door POST) to the event arriving in a pending
 *    PullMessages, over 1,000 events (median and p99; target: median under 5 ms on loopback);
 *  - reading a full 30,000-event log with FetchEvents, Limit 1,000 and RowID paging, over each
 *    binding (target: the whole log in under 1 s).
 */
import { Pool } from "undici";
import { operations as axlog } from "../generated/axlog/descriptors.js";
import { operations as pacsaxis } from "../generated/pacsaxis/descriptors.js";
import { operations as tev } from "../generated/tev/descriptors.js";
import type { Binding, XmlElement } from "../src/runtime/index.js";
import { createJsonBinding, createSoapBinding } from "../src/transport/index.js";
import { measure, type Timing } from "./measure.js";
import { startDeviceProcess } from "./processes.js";

const USER = "root";
const PASSWORD = "pass";
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
const EVENTS = 1000;
const LOG_CAPACITY = 30_000;
const FETCH_LIMIT = 1000;
/** Areas per SetArea while filling the log: each announces tns1:Configuration/Area/Changed. */
const AREAS_PER_SET = 500;
const CASING_TOPIC = "tns1:Device/tnsaxis:Casing/Open";
const CONCRETE_SET = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";

export const LATENCY_TARGET_MS = 5;
export const LOG_READ_TARGET_MS = 1000;

export interface EventFigures {
  readonly latency: { readonly events: number; readonly medianMs: number; readonly p99Ms: number; readonly maxMs: number; readonly targetMedianMs: number; readonly meetsTarget: boolean };
  readonly logRead: readonly { readonly protocol: "soap" | "json"; readonly medianMs: number; readonly events: number; readonly calls: number; readonly targetMs: number; readonly meetsTarget: boolean }[];
}

type Closable = Binding & { close(): Promise<void> };

function bindings(url: string): { soap: Closable; json: Closable } {
  const options = { baseUrl: url, user: USER, password: PASSWORD, auth: "basic" as const };
  return { soap: createSoapBinding(options), json: createJsonBinding(options) };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Median and p99 from stimulus POST to the event in a PullMessages that was already waiting. */
async function stimulusLatency(url: string, soap: Closable): Promise<EventFigures["latency"]> {
  const backdoor = new Pool(url, { connections: 1, pipelining: 0 });
  const stimulate = async (active: boolean): Promise<void> => {
    const res = await backdoor.request({
      path: "/backdoor/stimulus",
      method: "POST",
      headers: { authorization: BASIC, "content-type": "application/json" },
      body: JSON.stringify({ Stimulus: "OpenCasing", Active: active }),
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`back door answered HTTP ${res.statusCode}`);
  };
  const created = (await soap.call(tev.CreatePullPointSubscription, {
    Filter: { TopicExpression: [{ Dialect: CONCRETE_SET, value: CASING_TOPIC }] },
    InitialTerminationTime: "PT1H",
  })) as { SubscriptionReference: { Address: string; ReferenceParameters?: { any?: readonly XmlElement[] } } };
  const wsAddressing = { to: created.SubscriptionReference.Address, referenceParameters: created.SubscriptionReference.ReferenceParameters?.any ?? [] };
  const pull = async (timeout: string): Promise<number> => {
    const r = (await soap.call(tev.PullMessages, { Timeout: timeout, MessageLimit: 1 }, { wsAddressing, timeoutMs: 20_000 })) as { NotificationMessage?: unknown[] };
    return r.NotificationMessage?.length ?? 0;
  };
  try {
    // The Initialized message of the casing property comes first.
    while ((await pull("PT0S")) > 0);
    const samples: number[] = [];
    for (let i = 0; i < EVENTS + 50; i++) {
      const pending = pull("PT10S");
      // Let the pull leave before the stimulus; if it has not reached the device yet, the event waits for it.
      await new Promise((resolve) => setImmediate(resolve));
      const t0 = performance.now();
      await stimulate(i % 2 === 0);
      const got = await pending;
      const ms = performance.now() - t0;
      if (got !== 1) throw new Error(`PullMessages returned ${got} messages after the stimulus, expected 1`);
      if (i >= 50) samples.push(ms); // the first 50 warm up both processes
    }
    const sorted = samples.sort((a, b) => a - b);
    const medianMs = percentile(sorted, 50);
    return { events: samples.length, medianMs, p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1]!, targetMedianMs: LATENCY_TARGET_MS, meetsTarget: medianMs < LATENCY_TARGET_MS };
  } finally {
    await soap.call(tev.Unsubscribe, {}, { wsAddressing }).catch(() => undefined);
    await backdoor.close();
  }
}

/** Fills the event log to capacity with Configuration/Area/Changed events. */
async function fillLog(json: Closable): Promise<void> {
  for (let n = 0; n < LOG_CAPACITY + AREAS_PER_SET; n += AREAS_PER_SET) {
    const Area = Array.from({ length: AREAS_PER_SET }, (_, i) => ({ token: `bench-area-${n + i}`, Name: `Area ${n + i}` }));
    await json.call(pacsaxis.SetArea, { Area });
  }
}

async function readWholeLog(binding: Closable): Promise<{ events: number; calls: number }> {
  let events = 0;
  let calls = 0;
  let rowId: number | undefined;
  for (;;) {
    const r = (await binding.call(axlog.FetchEvents, rowId === undefined ? { Limit: FETCH_LIMIT } : { Limit: FETCH_LIMIT, RowID: rowId })) as { Event?: { rowid: number }[]; More: boolean };
    calls++;
    const page = r.Event ?? [];
    events += page.length;
    if (!r.More || page.length === 0) return { events, calls };
    rowId = page[page.length - 1]!.rowid;
  }
}

export async function benchEvents(): Promise<EventFigures> {
  const device = await startDeviceProcess(["--max-limit", String(AREAS_PER_SET), "--backdoor", "--clock", "virtual"]);
  const { soap, json } = bindings(device.url);
  try {
    const latency = await stimulusLatency(device.url, soap);
    await fillLog(json);
    const logRead: EventFigures["logRead"][number][] = [];
    for (const [protocol, binding] of [["soap", soap], ["json", json]] as const) {
      let seen = { events: 0, calls: 0 };
      const t: Timing = await measure(3, 1, async () => {
        seen = await readWholeLog(binding);
      });
      logRead.push({ protocol, medianMs: t.medianMs, events: seen.events, calls: seen.calls, targetMs: LOG_READ_TARGET_MS, meetsTarget: t.medianMs < LOG_READ_TARGET_MS && seen.events === LOG_CAPACITY });
    }
    return { latency, logRead };
  } finally {
    await soap.close();
    await json.close();
    await device.close();
  }
}
