/** AccessControl operations that are not generic set/get/list/remove. */
import type { EntityDecl, Item } from "../entity.js";
import { entityOperations, tokenFound, updateItem } from "../generic-ops.js";
import type { OperationDef } from "../operation.js";
import { TOKEN, emptyRequest, enumOf, list, obj, opt, req, str, tokenRequest, type ObjectShape } from "../shape.js";
import type { DeviceState } from "../state.js";
import { announceApbViolation, isViolating } from "./antipassback.js";
import { decide } from "./decision.js";
import { carryOut } from "./outcome.js";
import { ACCESS_CONTROL_ENTITIES, AccessPointDecl, CredentialDecl } from "./declarations.js";
import { CREDENTIAL_STATUS, IdDataShape, NameValueShape } from "./shapes.js";

const AccessRequest = (name: string): ObjectShape =>
  obj(name, [
    req("Token", TOKEN),
    list("IdData", IdDataShape),
    opt("SourceToken", TOKEN),
    opt("TargetToken", TOKEN),
    opt("Action", str()),
    list("Environment", NameValueShape),
  ]);

/** Enable/Disable of an access point or credential; its State/Enabled event follows the item's Changed event (entity-state.ts). */
function setEnabled(decl: EntityDecl, state: DeviceState, token: string, enabled: boolean, status?: string): void {
  if (state.quirks.has("enable-disable-noop")) return;
  updateItem(decl, token, state, (item) => {
    item["Enabled"] = enabled;
    if (status !== undefined) item["Status"] = status;
  });
}

function masterDbState(state: DeviceState): Item {
  // A simulated database: 4 KiB pages, sized from what is stored.
  let bytes = 0;
  for (const store of state.allStores()) for (const t of store.tokens()) bytes += JSON.stringify(store.read(t, "full")).length;
  const used = Math.ceil(bytes / 4096) + 16;
  const total = Math.max(256, used * 2);
  return { NbrTotalPages: total, NbrFreePages: total - used, SizeOnDisk: total * 4096 };
}

const STANDARD_ATTRIBUTES: readonly Item[] = [
  { type: "bool", Name: "ExtendedTimeFlag" },
  { type: "string", Name: "IdFactorOverride" },
];

const VENDOR_ATTRIBUTES: readonly Item[] = [
  { type: "string", Name: "Direction" },
  { type: "string", Name: "AntiPassbackMode" },
  { type: "int", Name: "AntiPassbackTimeout" },
  { type: "string", Name: "AntiPassbackEnforcementMode" },
  { type: "bool", Name: "AntiPassbackOverride" },
  { type: "string", Name: "Duress" },
  { type: "string", Name: "ExtendedAccessTime" },
  { type: "string", Name: "AccessTime" },
  { type: "string", Name: "OpenTooLongTime" },
  { type: "string", Name: "PreAlarmTime" },
];

const ID_MATCH_OPERATORS: readonly Item[] = [
  { Name: "IdDataEqual", Description: "The IdData value in the request equals the credential's IdData of the same name" },
  { Name: "OperatorValueEqual", Description: "The IdData value in the request equals the OperatorValue (e.g. REX = Active)" },
  { Name: "IdDataEqualToField", Description: "The IdData value in the request equals the credential's IdData named by OperatorValue (e.g. DuressPIN)" },
  { Name: "RemoteValidationEvent", Description: "An AccessControl/Request/ExternalConfirmation event is sent for an external decision" },
];

const RULE_OPERATORS: readonly Item[] = [
  { Name: "Authenticate", Description: "Positive authentication as the authentication profiles specify" },
  { Name: "RequestActionEqual", Description: "The request's Action equals OperatorValue[0]" },
  { Name: "OperatorValueEqual", Description: "The request IdData named OperatorValue[0] equals OperatorValue[1]" },
  { Name: "CredentialAttributeEqual", Description: "The credential has an Attribute named OperatorValue[0] (with Value OperatorValue[1] if given)" },
  { Name: "RemoteValidationEvent", Description: "An AccessControl/Request/Authorization/Credential event is sent for an external decision" },
];

export function accessControlOperations(): OperationDef[] {
  const ops: OperationDef[] = ACCESS_CONTROL_ENTITIES.flatMap(entityOperations);
  const op = (prefix: OperationDef["prefix"], name: string, input: ObjectShape, handle: OperationDef["handle"]): void => {
    ops.push({ prefix, name, input, handle });
  };

  op("tac", "GetServiceCapabilities", emptyRequest("GetServiceCapabilities"), (_in, state) => ({
    Capabilities: {
      MaxLimit: state.maxLimit,
      DisableCredential: true,
      GetAccessPoint: true,
      SetAccessPoint: true,
      RemoveAccessPoint: true,
      GetArea: true,
      SetArea: true,
      RemoveArea: true,
      GetCredential: true,
      SetCredential: true,
      RemoveCredential: true,
      StandardAttributesSupported: true,
      VendorAttributesSupported: true,
    },
  }));

  op("tac", "GetAccessPointState", tokenRequest("GetAccessPointState"), (input, state) => {
    const token = input["Token"] as string;
    if (!tokenFound(state, "AccessPoint", token)) return { AccessPointState: { Enabled: true } };
    return { AccessPointState: { Enabled: state.store("AccessPoint").read(token, "full")!["Enabled"] !== false } };
  });
  op("tac", "EnableAccessPoint", tokenRequest("EnableAccessPoint"), (input, state) => {
    const token = input["Token"] as string;
    if (tokenFound(state, "AccessPoint", token)) setEnabled(AccessPointDecl, state, token, true);
    return {};
  });
  op("tac", "DisableAccessPoint", tokenRequest("DisableAccessPoint"), (input, state) => {
    const token = input["Token"] as string;
    if (tokenFound(state, "AccessPoint", token)) setEnabled(AccessPointDecl, state, token, false);
    return {};
  });
  op(
    "tac",
    "ExternalAuthorization",
    obj("ExternalAuthorization", [req("AccessPointToken", TOKEN), opt("CredentialToken", TOKEN), opt("Reason", str()), req("Decision", enumOf("Granted", "Denied"))]),
    (input, state) => {
      const ap = input["AccessPointToken"] as string;
      if (!tokenFound(state, "AccessPoint", ap)) return {};
      const cred = input["CredentialToken"] as string | undefined;
      if (cred !== undefined && cred !== "" && !tokenFound(state, "Credential", cred)) return {};
      const granted = input["Decision"] === "Granted";
      // ONVIF Access Control: External is true for decisions taken by ExternalAuthorization; without
      // a credential the decision is about an anonymous request.
      const reason = (input["Reason"] as string | undefined) ?? "";
      const holder = cred === undefined || cred === "" ? undefined : ((state.store("Credential").read(cred, "full")?.["UserToken"] as string | undefined) ?? "");
      const about = holder === undefined ? "Anonymous" : "Credential";
      const who = holder === undefined ? {} : { CredentialToken: cred!, CredentialHolderName: holder };
      state.publish({
        topic: `tns1:AccessControl/${granted ? "AccessGranted" : "Denied"}/${about}`,
        source: { AccessPointToken: ap },
        data: { External: true, ...who, ...(granted ? {} : { Reason: reason || "Other" }) },
      });
      return {};
    },
  );

  op("pacsaxis", "EnableCredential", tokenRequest("EnableCredential"), (input, state) => {
    const token = input["Token"] as string;
    if (tokenFound(state, "Credential", token)) setEnabled(CredentialDecl, state, token, true, "Enabled");
    return {};
  });
  op(
    "pacsaxis",
    "DisableCredential",
    obj("DisableCredential", [req("Token", TOKEN), opt("Status", enumOf(...CREDENTIAL_STATUS))]),
    (input, state) => {
      const token = input["Token"] as string;
      // API reference: Status "If missing Disabled should be assumed".
      if (tokenFound(state, "Credential", token)) setEnabled(CredentialDecl, state, token, false, (input["Status"] as string | undefined) ?? "Disabled");
      return {};
    },
  );
  op("pacsaxis", "GetCredentialStatistics", emptyRequest("GetCredentialStatistics"), (_in, state) => {
    const store = state.store("Credential");
    let disabled = 0;
    for (const t of store.tokens()) if (store.read(t, "full")!["Enabled"] === false) disabled++;
    const skew = state.quirks.has("stats-wrong") ? 1 : 0;
    return { CredentialStatistics: { NumberOfCredentials: store.size + skew, NumberOfDisabledCredentials: disabled + skew } };
  });

  op("pacsaxis", "ResetAntipassbackViolation", obj("ResetAntipassbackViolation", [req("CredentialToken", TOKEN)]), (input, state) => {
    const token = input["CredentialToken"] as string;
    if (!tokenFound(state, "Credential", token)) return {};
    const apb = state.store("AntipassbackData");
    const data = apb.read(token, "full");
    // Guide: "If the credential is currently not in anti-passback violation, nothing happens."
    if (data !== undefined && isViolating(data)) {
      apb.delete(token);
      announceApbViolation(state, token, false, true);
    }
    return {};
  });
  op("pacsaxis", "ResetAllAntipassbackViolations", emptyRequest("ResetAllAntipassbackViolations"), (_in, state) => {
    const apb = state.store("AntipassbackData");
    // Guide: no ApbViolation event for ResetAllAntipassbackViolations (load considerations).
    for (const t of [...apb.tokens()]) if (isViolating(apb.read(t, "full")!)) apb.delete(t);
    return {};
  });

  op("pacsaxis", "GetStandardAttributeList", emptyRequest("GetStandardAttributeList"), () => ({ Attribute: structuredClone(STANDARD_ATTRIBUTES) as Item[] }));
  op("pacsaxis", "GetVendorAttributeList", emptyRequest("GetVendorAttributeList"), () => ({ Attribute: structuredClone(VENDOR_ATTRIBUTES) as Item[] }));
  op("pacsaxis", "GetIdMatchOperators", emptyRequest("GetIdMatchOperators"), () => ({ IdMatchOperator: structuredClone(ID_MATCH_OPERATORS) as Item[] }));
  op("pacsaxis", "GetRuleOperators", emptyRequest("GetRuleOperators"), () => ({ RuleOperator: structuredClone(RULE_OPERATORS) as Item[] }));
  op("pacsaxis", "GetMasterDBState", emptyRequest("GetMasterDBState"), (_in, state) => masterDbState(state));
  op("pacsaxis", "ReOpenMasterDB", emptyRequest("ReOpenMasterDB"), (_in, state) => masterDbState(state));

  // Guide "Send access request": VerifyRequest "reaches the same decisions as the access request,
  // but without interacting with any doors or ID points"; RequestAccess is "equivalent to
  // initiating an access request from an ID point".
  op("pacsaxis", "VerifyRequest", AccessRequest("VerifyRequest"), (input, state) => {
    const d = decide(state, input);
    if (state.quirks.has("decision-verify-acts")) carryOut(state, d);
    return { AccessGranted: d.granted, Reason: d.reason };
  });
  op("pacsaxis", "RequestAccess", AccessRequest("RequestAccess"), (input, state) => {
    const d = carryOut(state, decide(state, input));
    return { AccessGranted: d.granted, Reason: d.reason };
  });
  return ops;
}
