/**
 * The device's own model against the generated contract: every operation of the WSDLs is
 * served, the request shapes name the schema's fields, and every JSON response validates
 * against the generated JSON Schemas.
 */
import { describe, expect, it } from "@jest/globals";
import AjvModule from "ajv";
import { schemas as pacsaxisSchemas } from "../../generated/pacsaxis/schemas.js";
import { schemas as tacSchemas } from "../../generated/tac/schemas.js";
import * as generated from "../../generated/index.js";
import { accessControlOperations } from "../../src/device/access-control/operations.js";
import { SERVICES } from "../../src/device/services.js";
import type { ObjectShape } from "../../src/device/shape.js";
import type { OperationDescriptor, TypeDescriptor } from "../../src/runtime/model.js";
import { accessPoint, credential, json, ok, withDevice } from "./helpers.js";

/** prefix → the generated operations of every namespace. */
const GENERATED: Record<string, Readonly<Record<string, OperationDescriptor>> | undefined> = Object.fromEntries(
  Object.entries(generated as Record<string, { operations?: Readonly<Record<string, OperationDescriptor>> }>)
    .filter(([k, m]) => k.endsWith("Descriptors") && m.operations !== undefined)
    .map(([k, m]) => [k.slice(0, -"Descriptors".length), m.operations]),
);
const SCHEMAS: Record<string, Readonly<Record<string, object>>> = { pacsaxis: pacsaxisSchemas, tac: tacSchemas };

function shapeProblems(shape: ObjectShape, type: TypeDescriptor, path: string): string[] {
  const problems: string[] = [];
  for (const f of shape.fields) {
    const d = type.fields.find((x) => x.name === f.name);
    if (d === undefined) {
      problems.push(`${path}.${f.name} is not in ${type.name}`);
      continue;
    }
    if (d.node === "element" && d.many !== f.many) problems.push(`${path}.${f.name}: many=${f.many} but schema many=${d.many}`);
    if (f.shape.kind === "object" && d.node === "element" && d.type.kind === "complex") problems.push(...shapeProblems(f.shape, d.type.type(), `${path}.${f.name}`));
  }
  return problems;
}

describe("device model vs generated descriptors", () => {
  const services = SERVICES;

  it("composes every service; each with a namespace serves operations (System only emits events)", () => {
    expect(SERVICES.map((s) => [s.name, s.operations().length > 0])).toEqual(SERVICES.map((s) => [s.name, s.prefixes.length > 0]));
    expect(SERVICES.filter((s) => s.prefixes.length === 0).map((s) => s.name)).toEqual(["System"]);
  });

  it.each(services.map((s) => [s.name, s] as const))("%s serves exactly the operations its WSDL declares", (_name, service) => {
    const mine = service.operations().map((o) => `${o.prefix}:${o.name}`).sort();
    const wsdl = service.prefixes.flatMap((p) => Object.keys(GENERATED[p] ?? {}).map((n) => `${p}:${n}`)).sort();
    expect(mine).toEqual(wsdl);
  });

  it.each(services.map((s) => [s.name, s] as const))("%s names only fields the request schemas declare", (_name, service) => {
    const problems = service.operations().flatMap((o) => shapeProblems(o.input, GENERATED[o.prefix]![o.name]!.input.type(), `${o.prefix}:${o.name}`));
    expect(problems).toEqual([]);
  });

  it("AccessControl still has its 63 operations", () => {
    expect(accessControlOperations()).toHaveLength(63);
  });
});

describe("JSON responses conform to the generated JSON Schemas", () => {
  it("for every operation on a populated device", async () => {
    const Ajv = (AjvModule as unknown as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const controller = "Axis-00408c184bdb AccessController";
    const calls: [string, unknown][] = [
      ["tac:GetServiceCapabilities", {}],
      ["tac:GetAccessPointInfoList", { Limit: 2 }],
      ["tac:GetAccessPointInfo", { Token: ["ap-0001"] }],
      ["tac:GetAreaInfoList", {}],
      ["tac:GetAreaInfo", { Token: ["area-0001"] }],
      ["tac:GetAccessPointState", { Token: "ap-0001" }],
      ["tac:DisableAccessPoint", { Token: "ap-0002" }],
      ["tac:EnableAccessPoint", { Token: "ap-0002" }],
      ["tac:ExternalAuthorization", { AccessPointToken: "ap-0001", Decision: "Granted" }],
      ["tac:GetAuthenticationProfileInfoList", {}],
      ["tac:GetAuthenticationProfileInfo", { Token: ["CardOnly"] }],
      ["tac:GetAuthenticationProfileList", {}],
      ["tac:GetAuthenticationProfile", { Token: ["CardOnly"] }],
      ["tac:SetAuthenticationProfile", { AuthenticationProfile: [{ token: "tmp-auth", Name: "T" }] }],
      ["tac:RemoveAuthenticationProfile", { Token: ["tmp-auth"] }],
      ["pacsaxis:GetAccessPointList", {}],
      ["pacsaxis:GetAccessPoint", { Token: ["ap-0001"] }],
      ["pacsaxis:SetAccessPoint", { AccessPoint: [accessPoint("tmp-ap")] }],
      ["pacsaxis:RemoveAccessPoint", { Token: ["tmp-ap"] }],
      ["pacsaxis:GetAreaList", {}],
      ["pacsaxis:GetArea", { Token: ["area-0001"] }],
      ["pacsaxis:SetArea", { Area: [{ token: "", Name: "tmp" }] }],
      ["pacsaxis:RemoveArea", { Token: ["area-0002"] }],
      ["pacsaxis:GetAccessControllerList", {}],
      ["pacsaxis:GetAccessController", { Token: [controller] }],
      ["pacsaxis:GetAccessControllerInfoList", {}],
      ["pacsaxis:GetAccessControllerInfo", { Token: [controller] }],
      ["pacsaxis:SetAccessController", { AccessController: [{ token: "tmp-ac", Name: "AC" }] }],
      ["pacsaxis:RemoveAccessController", { Token: ["tmp-ac"] }],
      ["pacsaxis:GetAccessControllerConfigurationList", {}],
      ["pacsaxis:GetAccessControllerConfiguration", { Token: [controller] }],
      ["pacsaxis:SetAccessControllerConfiguration", { AccessControllerConfiguration: [{ token: "tmp-acc" }] }],
      ["pacsaxis:RemoveAccessControllerConfiguration", { Token: ["tmp-acc"] }],
      ["pacsaxis:GetCredentialList", { Limit: 2 }],
      ["pacsaxis:GetCredential", { Token: ["credential-0001"] }],
      ["pacsaxis:GetCredentialInfoList", {}],
      ["pacsaxis:GetCredentialInfo", { Token: ["credential-0001"] }],
      ["pacsaxis:SetCredential", { Credential: [credential("tmp-cred", "31337")] }],
      ["pacsaxis:DisableCredential", { Token: "tmp-cred" }],
      ["pacsaxis:EnableCredential", { Token: "tmp-cred" }],
      ["pacsaxis:GetCredentialStatistics", {}],
      ["pacsaxis:SetAntipassbackData", { AntipassbackData: [{ CredentialToken: "tmp-cred", PassOkThreshold: 5, CurrentArea: "a", ByTime: true, Violation: "" }] }],
      ["pacsaxis:GetAntipassbackDataList", {}],
      ["pacsaxis:ResetAntipassbackViolation", { CredentialToken: "tmp-cred" }],
      ["pacsaxis:ResetAllAntipassbackViolations", {}],
      ["pacsaxis:RemoveCredential", { Token: ["tmp-cred"] }],
      ["pacsaxis:GetAccessProfileList", {}],
      ["pacsaxis:GetAccessProfile", { Token: ["profile-0001"] }],
      ["pacsaxis:GetAccessProfileInfoList", {}],
      ["pacsaxis:GetAccessProfileInfo", { Token: ["profile-0001"] }],
      ["pacsaxis:SetAccessProfile", { AccessProfile: [{ token: "tmp-prof", Name: "P" }] }],
      ["pacsaxis:RemoveAccessProfile", { Token: ["tmp-prof"] }],
      ["pacsaxis:GetAuthenticationProfileList", {}],
      ["pacsaxis:SetAuthenticationProfile", { AuthenticationProfile: [{ token: "tmp-auth2", Name: "T2" }] }],
      ["pacsaxis:RemoveAuthenticationProfile", { Token: ["tmp-auth2"] }],
      ["pacsaxis:GetStandardAttributeList", {}],
      ["pacsaxis:GetVendorAttributeList", {}],
      ["pacsaxis:GetIdMatchOperators", {}],
      ["pacsaxis:GetRuleOperators", {}],
      ["pacsaxis:GetMasterDBState", {}],
      ["pacsaxis:ReOpenMasterDB", {}],
      ["pacsaxis:VerifyRequest", { Token: controller, IdData: [{ Name: "Card", Value: "10000001" }] }],
      ["pacsaxis:RequestAccess", { Token: controller, IdData: [{ Name: "Card", Value: "10000001" }] }],
    ];
    await withDevice({ populate: { credentials: 3, accessPoints: 2, accessProfiles: 2, areas: 2 } }, async (device) => {
      const failures: string[] = [];
      for (const [op, input] of calls) {
        const r = await json(device, op, input);
        const [prefix, name] = op.split(":") as [string, string];
        const validate = ajv.compile(SCHEMAS[prefix]![`${name}Response`]!);
        if (r.status !== 200) failures.push(`${op}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
        else if (!validate(r.body)) failures.push(`${op}: ${JSON.stringify(validate.errors)}`);
      }
      expect(failures).toEqual([]);
      expect(new Set(calls.map(([op]) => op)).size).toBe(63);
      expect(await ok(device, "pacsaxis:GetArea", { Token: ["area-0001"] })).toHaveProperty("Area");
    });
  });
});
