/** BindingOptions auth "ws-username-token" against the reference device (started on 127.0.0.1, port 0). */
import { afterEach, describe, expect, it } from "@jest/globals";
import { DeviceClient } from "../../generated/tds/client.js";
import { startDevice, type RunningDevice } from "../../src/device/server.js";
import type { Exchange } from "../../src/runtime/binding.js";
import { DeviceFaultError } from "../../src/runtime/errors.js";
import { createJsonBinding, createSoapBinding, type BindingOptions } from "../../src/transport/index.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function device(clock?: string): Promise<RunningDevice> {
  const d = await startDevice(clock === undefined ? {} : { clock });
  closers.push(() => d.close());
  return d;
}

function soapClient(d: RunningDevice, options: Partial<BindingOptions> = {}): { client: DeviceClient; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const binding = createSoapBinding({ baseUrl: d.url, user: "root", password: "pass", auth: "ws-username-token", onExchange: (e) => exchanges.push(e), ...options });
  closers.push(() => binding.close());
  return { client: new DeviceClient(binding), exchanges };
}

const createdOf = (e: Exchange): string | undefined => /<wsu:Created>([^<]*)<\/wsu:Created>/.exec(e.request.body)?.[1];

describe('SOAP binding with auth "ws-username-token"', () => {
  it("talks to the reference device with a UsernameToken and no HTTP authentication; learns the clock once", async () => {
    const { client, exchanges } = soapClient(await device());
    expect((await client.getDeviceInformation()).Manufacturer).toBeTruthy();
    expect((await client.getDeviceInformation()).Manufacturer).toBeTruthy();
    expect(exchanges.map((e) => [e.operation, e.response?.status])).toEqual([
      ["tds:GetSystemDateAndTime", 200],
      ["tds:GetDeviceInformation", 200],
      ["tds:GetDeviceInformation", 200],
    ]);
    for (const e of exchanges) expect(Object.keys(e.request.headers).map((h) => h.toLowerCase())).not.toContain("authorization");
    expect(exchanges[0]!.request.body).not.toContain("UsernameToken");
    const nonces = exchanges.slice(1).map((e) => /<wsse:Nonce[^>]*>([^<]*)</.exec(e.request.body)?.[1]);
    expect(nonces[0]).toBeDefined();
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("stamps Created on the device clock when it is far from the local clock", async () => {
    const { client, exchanges } = soapClient(await device("virtual=2020-01-01T00:00:00Z"));
    expect((await client.getDeviceInformation()).Manufacturer).toBeTruthy();
    const created = Date.parse(createdOf(exchanges[1]!) ?? "");
    expect(Math.abs(created - Date.parse("2020-01-01T00:00:00Z"))).toBeLessThan(5 * 60_000);
  });

  it("reports a wrong password as the device's env:Sender/ter:NotAuthorized fault", async () => {
    const { client } = soapClient(await device(), { password: "wrong" });
    const err = await client.getDeviceInformation().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceFaultError);
    expect([(err as DeviceFaultError).fault.code, ...(err as DeviceFaultError).fault.subcodes]).toEqual(["env:Sender", "ter:NotAuthorized"]);
  });

  it("needs a user", () => {
    expect(() => createSoapBinding({ baseUrl: "http://127.0.0.1:1", auth: "ws-username-token" })).toThrow(/ws-username-token.*needs a user/);
  });
});

describe('JSON binding with auth "ws-username-token"', () => {
  it("is refused with a TypeError naming the option", () => {
    expect(() => createJsonBinding({ baseUrl: "http://127.0.0.1:1", user: "root", password: "pass", auth: "ws-username-token" })).toThrow(TypeError);
    expect(() => createJsonBinding({ baseUrl: "http://127.0.0.1:1", user: "root", password: "pass", auth: "ws-username-token" })).toThrow(/auth "ws-username-token" is SOAP-only/);
  });
});
