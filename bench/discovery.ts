/**
 * Feature discovery's cost: the requests every run makes before its first check, against the
 * reference device in another process (median of DISCOVERY_RUNS, one connection reused, as a run does).
 */
import { connectDevice } from "../conformance/harness/connect.js";
import { discoverFeatures } from "../conformance/harness/discovery.js";
import { startDeviceProcess } from "./processes.js";

export const DISCOVERY_RUNS = 7;

export interface DiscoveryFigure {
  readonly medianMs: number;
  readonly runs: number;
  readonly features: number;
  readonly requests: number;
}

export async function benchDiscovery(): Promise<DiscoveryFigure> {
  const device = await startDeviceProcess([]);
  const conn = await connectDevice({ baseUrl: `${device.url}/`, user: "root", password: "pass", protocol: "soap", timeoutMs: 10000 });
  try {
    const times: number[] = [];
    let features = 0;
    let requests = 0;
    // The first discovery warms the connection and the device; it is not counted.
    for (let i = 0; i <= DISCOVERY_RUNS; i++) {
      let sent = 0;
      const counting = { ...conn, call: (op: string, input: unknown, o?: Parameters<typeof conn.call>[2]) => (sent++, conn.call(op, input, o)), sendRaw: (r: Parameters<typeof conn.sendRaw>[0], o?: Parameters<typeof conn.sendRaw>[1]) => (sent++, conn.sendRaw(r, o)) };
      const t0 = performance.now();
      const found = await discoverFeatures({ primary: counting, soap: counting, timeoutMs: 10000, signal: undefined, describeFailure: String });
      if (i > 0) times.push(performance.now() - t0);
      features = found.list.features.length;
      requests = sent;
    }
    times.sort((a, b) => a - b);
    return { medianMs: Math.round((times[Math.floor(times.length / 2)] as number) * 10) / 10, runs: DISCOVERY_RUNS, features, requests };
  } finally {
    await conn.close();
    await device.close();
  }
}
