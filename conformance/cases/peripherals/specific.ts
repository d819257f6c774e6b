/**
 * Service discovery and remote I/O checks (peripherals.md "Find remote devices", "Add a remote
 * device", "Find remote I/Os"): the list GetServiceProviderList answers and its Type filter (read
 * only: any device), and SetDevice refusing bad addresses and adding a device of the run (only on a
 * device the run owns, see support.ts: a device that wrongly accepts a bad address keeps a remote
 * device nothing but the reference device's back door removes).
 * The RemoteDevice/Connection/Status topic is caused by the event suite (events/causes.ts).
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { excerptJson, expectFault, faultChain, faultOf } from "../../harness/faults.js";
import { requireOps } from "../../harness/items.js";
import { errorMessage } from "../../harness/verdict.js";
import { BOTH, expectSchemaConformance, lastExchange } from "../generic/support.js";
import {
  ADD_DEVICE,
  FIND_DEVICES,
  FIND_IOS,
  GET_LIST,
  INVALID_ARG_VAL,
  NOT_ADDED,
  NO_REMOVE,
  OWNED_ONLY,
  RIO,
  RIO_SERVICE,
  SD_SERVICE,
  SET_DEVICE,
  attributeOf,
  claimRemoteDevice,
  describeProvider,
  deviceRequest,
  discover,
  ownAddress,
  providersOf,
  removeAfterwards,
  searchInput,
  stimulateUntil,
  testNetAddress,
} from "./support.js";

/** What is wrong with one listed provider (documented shape of the guide's answers). */
function providerProblems(p: Record<string, unknown>): string[] {
  const what = describeProvider(p);
  const out: string[] = [];
  if (attributeOf(p, "IP") === undefined) out.push(`${what} shows no IP attribute`);
  const status = p["Status"];
  if (typeof status !== "string" || status === "") out.push(`${what} has no Status`);
  const id = typeof p["Id"] === "string" ? p["Id"] : "";
  if (status === NOT_ADDED) {
    if (attributeOf(p, "MAC") === undefined) out.push(`${what} is not added but shows no MAC attribute`);
    if (id !== "") out.push(`${what} is not added (Status NotAdded) but has an Id; it is empty until the device is added`);
  } else if (typeof status === "string" && status !== "" && id === "") {
    out.push(`${what} is added (Status is not NotAdded) but its Id is empty; it is the device's token`);
  }
  return out;
}

const wellFormed: CheckDefinition = {
  id: "axissd.get-service-provider-list.well-formed",
  title: "GetServiceProviderList answers a well-formed list of service providers",
  service: SD_SERVICE,
  rule: "GetServiceProviderList with the guide's search (Type RIO, IO Eth0) answers a ServiceProviderList that conforms to the schema; each provider shows its IP address (and, while not added, its MAC address) as Attributes and a Status, and its Id is empty exactly while it is not added (Status NotAdded), else the device's token.",
  specRefs: [FIND_DEVICES, FIND_IOS],
  quirk: "peripherals-provider-attributes-missing",
  notes: "Discovery is polled: an empty answer is asked again up to twice, a second of device time apart. When no provider is found, only the schema is judged. Discovery adds nothing to the door controller.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET_LIST);
    const found = (await discover(ctx, RIO)).at(-1) ?? [];
    await expectSchemaConformance(ctx, [[GET_LIST, searchInput(RIO)]]);
    const problems = found.flatMap(providerProblems);
    if (problems.length > 0) ctx.fail(`GetServiceProviderList (Type RIO): ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? `; and ${problems.length - 3} more` : ""}`, lastExchange(ctx));
  },
};

/** Asks for providers of a Type no provider has; fails when any is listed, warns on a fault. Returns false after a fault. */
async function expectNoneOfType(ctx: CheckContext, type: string): Promise<boolean> {
  for (let i = 0; i < 2; i++) {
    if (i > 0) await ctx.physical.elapse(1000);
    let listed: Record<string, unknown>[];
    try {
      listed = providersOf(await ctx.call(GET_LIST, searchInput(type)));
    } catch (err) {
      const f = faultOf(err);
      if (f === undefined) throw err;
      ctx.warn(`GetServiceProviderList for Type "${type}", which no provider has, answered fault ${faultChain(f)}: ${f.reason}; expected an empty list`, lastExchange(ctx));
      return false;
    }
    if (listed.length > 0) {
      ctx.fail(`GetServiceProviderList for Type "${type}", which no provider has, lists ${listed.length} provider(s): ${listed.slice(0, 3).map(describeProvider).join("; ")}; expected none`, lastExchange(ctx));
    }
  }
  return true;
}

const typeFilter: CheckDefinition = {
  id: "axissd.get-service-provider-list.type-filter",
  title: "GetServiceProviderList lists only providers of the requested Type",
  service: SD_SERVICE,
  rule: "The Type field specifies the type of service provider to search for: GetServiceProviderList for a Type no provider has lists none, and a provider of another type than RIO is listed for its own Type only, never for RIO.",
  specRefs: [FIND_DEVICES],
  quirk: "peripherals-type-filter-ignored",
  notes:
    "A fault for a Type no provider has is a warning. The second part needs a provider of another type on the network: the reference device's back door puts one there (ConnectRemoteDevice with a Type of the run, at a TEST-NET-1 address) and takes it away afterwards; without a back door only the first part runs.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, GET_LIST);
    if (!(await expectNoneOfType(ctx, ctx.newToken("no-such-type")))) return;
    if (ctx.physical.via !== "backdoor") return;
    const type = ctx.newToken("type");
    const ip = testNetAddress(ctx);
    try {
      await stimulateUntil(ctx, { Stimulus: "ConnectRemoteDevice", Address: ip, Type: type }, { Stimulus: "DisconnectRemoteDevice", Address: ip });
    } catch (err) {
      if (/unknown stimulus/.test(errorMessage(err))) return;
      throw err;
    }
    const ofType = (await discover(ctx, type)).at(-1) ?? [];
    if (!ofType.some((p) => attributeOf(p, "IP") === ip)) ctx.fail(`GetServiceProviderList for Type "${type}" does not list the provider of that type the back door put at ${ip}`, lastExchange(ctx));
    const others = ofType.filter((p) => attributeOf(p, "IP") !== ip);
    if (others.length > 0) ctx.fail(`GetServiceProviderList for Type "${type}" (only the provider at ${ip} has it) also lists ${others.slice(0, 3).map(describeProvider).join("; ")}`, lastExchange(ctx));
    const rio = (await discover(ctx, RIO)).at(-1) ?? [];
    if (rio.some((p) => attributeOf(p, "IP") === ip)) ctx.fail(`GetServiceProviderList for Type RIO lists the provider at ${ip}, whose Type is "${type}"`, lastExchange(ctx));
  },
};

function refusedAddress(id: string, field: "IPAddress" | "MACAddress", value: string, what: string, quirk: string): CheckDefinition {
  return {
    id,
    title: `SetDevice refuses ${what}`,
    service: RIO_SERVICE,
    rule: `SetDevice with ${what} as ${field} (${value}) is refused with env:Sender/ter:InvalidArgVal (no fault is documented: the ONVIF generic fault for an invalid argument value), and no remote device is added.`,
    specRefs: [ADD_DEVICE],
    quirk,
    notes:
      `Another fault than InvalidArgVal is a warning. Skipped unless the run owns the device: a conforming device changes nothing, but one that accepts keeps a remote device (its token and Name carry the run's prefix; for the MAC, at a TEST-NET-1 address that is never routed), and ${NO_REMOVE}; so this runs only against the built-in reference device (pacs-conformance run without --device), whose back door removes the device again.`,
    transports: BOTH,
    run: async (ctx) => {
      claimRemoteDevice(ctx, [SET_DEVICE]);
      const token = ctx.newToken(field === "IPAddress" ? "bad-ip" : "bad-mac");
      removeAfterwards(ctx, () => token);
      const address = field === "IPAddress" ? { ip: value } : { ip: testNetAddress(ctx), mac: value };
      await expectFault(ctx, SET_DEVICE, deviceRequest(token, address, token), INVALID_ARG_VAL, `SetDevice with ${what} ${JSON.stringify(value)} as ${field}`);
    },
  };
}

const addsDevice: CheckDefinition = {
  id: "axrio.set-device.adds-device",
  title: "SetDevice adds a remote device that GetServiceProviderList then lists under its token",
  service: RIO_SERVICE,
  rule: "SetDevice without a token adds the remote device and answers the Token generated for it; GetServiceProviderList with that token as Address lists exactly that device, added: Id the token, NiceName the Name set, a Status other than NotAdded, and the IP address set.",
  specRefs: [ADD_DEVICE, FIND_IOS, FIND_DEVICES],
  quirk: "peripherals-set-device-not-stored",
  notes: `Skipped unless the run owns the device: ${OWNED_ONLY}. The device added is the first remote I/O module discovery finds not added yet (else a TEST-NET-1 address), as the guide adds one.`,
  transports: BOTH,
  run: async (ctx) => {
    claimRemoteDevice(ctx);
    const address = await ownAddress(ctx);
    const name = ctx.newToken("rio");
    // The token is known only from the answer; the removal is registered before the call all the same.
    const added: { token?: string } = {};
    removeAfterwards(ctx, () => added.token);
    const r = await ctx.call<Record<string, unknown>>(SET_DEVICE, deviceRequest(name, address));
    const token = typeof r["Token"] === "string" && r["Token"] !== "" ? r["Token"] : undefined;
    if (token !== undefined) added.token = token;
    if (token === undefined) return ctx.fail(`SetDevice without a token answered ${excerptJson(r)}; expected the Token generated for the new device`, lastExchange(ctx));
    const listed = (await discover(ctx, RIO, [{ Name: "Address", Value: token }])).at(-1) ?? [];
    const mine = listed.find((p) => p["Id"] === token);
    if (mine === undefined) {
      return ctx.fail(`GetServiceProviderList with Address "${token}" (the token SetDevice answered) lists ${listed.length > 0 ? listed.slice(0, 3).map(describeProvider).join("; ") : "no provider"}; expected the added device with that Id`, lastExchange(ctx));
    }
    const problems: string[] = [];
    if (listed.length > 1) problems.push(`the search for Address "${token}" lists ${listed.length} providers; expected only that device`);
    if (mine["NiceName"] !== name) problems.push(`its NiceName is ${excerptJson(mine["NiceName"])}; expected the Name set, "${name}"`);
    if (mine["Status"] === NOT_ADDED || typeof mine["Status"] !== "string" || mine["Status"] === "") problems.push(`its Status is ${excerptJson(mine["Status"])}; an added device is not NotAdded`);
    if (attributeOf(mine, "IP") !== address.ip) problems.push(`its IP attribute is ${excerptJson(attributeOf(mine, "IP") ?? null)}; expected ${address.ip}`);
    if (problems.length > 0) ctx.fail(`after SetDevice added "${token}": ${problems.join("; ")}`, lastExchange(ctx));
  },
};

export function peripheralsSpecificChecks(): CheckDefinition[] {
  return [
    wellFormed,
    typeFilter,
    refusedAddress("axrio.set-device.invalid-ip-refused", "IPAddress", "192.0.2.999", "an IPAddress that is not an IPv4 address", "peripherals-invalid-ip-accepted"),
    refusedAddress("axrio.set-device.invalid-mac-refused", "MACAddress", "00:40:8c:18:64", "a MACAddress of five octets", "peripherals-invalid-mac-accepted"),
    addsDevice,
  ];
}
