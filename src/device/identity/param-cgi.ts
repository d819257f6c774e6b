/**
 * GET (or POST, form-encoded) /axis-cgi/param.cgi?action=list&group=… — VAPIX parameter
 * management, the read-only Brand and Properties groups only. `group` is a comma-separated list of
 * groups or parameters, with or without the leading "root." (matched case-insensitively); no group
 * lists every parameter. Each parameter is a `root.<Group>.<Name>=<value>` line; a group the
 * device does not have answers VAPIX's `# Error: Error -1 getting param in group '…'` line, still
 * with status 200. Any other action is refused with 400: these parameters cannot be changed.
 */
import { cgiArguments, type CgiEndpoint, type CgiRequest, type CgiResponse } from "../service.js";
import type { DeviceState } from "../state.js";
import { PRODUCT, mismatchedSerial, serialNumber } from "./facts.js";

const TEXT = "text/plain; charset=utf-8";

/** Every parameter, without "root.", in the order param.cgi lists them. */
export function parameters(state: DeviceState): [string, string][] {
  const serial = state.quirks.has("identity-serial-mismatch") ? mismatchedSerial(state) : serialNumber(state);
  return [
    ["Brand.Brand", PRODUCT.Brand],
    ["Brand.ProdFullName", PRODUCT.ProdFullName],
    ["Brand.ProdNbr", PRODUCT.ProdNbr],
    ["Brand.ProdShortName", PRODUCT.ProdShortName],
    ["Brand.ProdType", PRODUCT.ProdType],
    ["Brand.ProdVariant", PRODUCT.ProdVariant],
    ["Brand.WebURL", PRODUCT.WebURL],
    ["Properties.API.HTTP.Version", "3"],
    ["Properties.Firmware.BuildDate", PRODUCT.BuildDate],
    ["Properties.Firmware.Version", PRODUCT.Version],
    ["Properties.System.Architecture", PRODUCT.Architecture],
    ["Properties.System.HardwareID", PRODUCT.HardwareID],
    ["Properties.System.Language", "English"],
    ["Properties.System.SerialNumber", serial],
    ["Properties.System.Soc", PRODUCT.Soc],
  ];
}


function listGroup(all: readonly [string, string][], group: string): string[] {
  const g = group.replace(/^root\./i, "").toLowerCase();
  const lines = all.filter(([name]) => g === "root" || g === "" || name.toLowerCase() === g || name.toLowerCase().startsWith(`${g}.`)).map(([name, value]) => `root.${name}=${value}`);
  return lines.length > 0 ? lines : [`# Error: Error -1 getting param in group '${group}'`];
}

function handle(request: CgiRequest, state: DeviceState): CgiResponse {
  const args = cgiArguments(request);
  const action = args.get("action");
  if (action === null || action.toLowerCase() !== "list") {
    const got = action === null ? "no action" : `action=${action}`;
    return { status: 400, contentType: TEXT, body: `# Error: ${got}; param.cgi on this device answers action=list only (the Brand and Properties parameters are read-only), e.g. action=list&group=Brand,Properties\n` };
  }
  const all = parameters(state);
  const groups = args.getAll("group").flatMap((g) => g.split(",")).map((g) => g.trim()).filter((g) => g !== "");
  const lines = groups.length === 0 ? all.map(([name, value]) => `root.${name}=${value}`) : groups.flatMap((g) => listGroup(all, g));
  return { status: 200, contentType: TEXT, body: `${lines.join("\n")}\n` };
}

export const paramCgi: CgiEndpoint = { path: "/axis-cgi/param.cgi", methods: ["GET", "POST"], handle };
