/** IdPoint operations that are not generic set/get/list/remove. */
import type { Item } from "../entity.js";
import { OperationFault, invalidArgs, notFound } from "../faults.js";
import { entityOperations, tokenFound } from "../generic-ops.js";
import type { OperationDef } from "../operation.js";
import { tokenRequest, type ObjectShape } from "../shape.js";
import type { DeviceState } from "../state.js";
import { IDPOINT_ENTITIES, IdPointWhiteListDecl } from "./declarations.js";
import { present } from "./presentation.js";
import { feedbackOf, peekRuntime, runtimeOf } from "./runtime.js";
import { capabilitiesOf, configurationInfo } from "./settings.js";
import { FeedbackMessageShape, IndicateRemoteActivitiesShape } from "./shapes.js";
import { ensureWhitelistsFresh } from "./whitelist.js";

/**
 * True when the token names no IdPoint (nor its configuration: either half identifies it) and
 * `not-found-succeeds` turns the documented fault into a silent OK.
 */
function missing(state: DeviceState, token: string, fault: () => OperationFault = () => notFound("IdPoint", token)): boolean {
  if (state.store("IdPoint").has(token) || state.store("IdPointConfiguration").has(token)) return false;
  if (state.quirks.has("not-found-succeeds")) return true;
  throw fault();
}

const configurationNotFound = (token: string): OperationFault =>
  new OperationFault({ code: "env:Sender", subcodes: ["ter:InvalidArgVal", "ter:ConfigurationNotFound"], reason: `IdPoint "${token}" not found (neither an IdPoint nor an IdPointConfiguration has this token)` });

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

interface Activity {
  readonly Type: "REX" | "Card" | "PIN";
  readonly Params: readonly { Name: string; Value: string }[];
}

/** idpoint-service.md "Remote activity functions": Params are mandatory for Card and PIN (PIN needs one named PIN), not allowed for REX. */
function activityProblem(a: Activity, i: number): string | undefined {
  if (a.Type === "REX" && a.Params.length > 0) return `Activities[${i}]: a REX activity takes no Params`;
  if (a.Type !== "REX" && a.Params.length === 0) return `Activities[${i}]: a ${a.Type} activity needs Params, e.g. [{"Name": "${a.Type === "PIN" ? "PIN" : "Card"}", "Value": "…"}]`;
  if (a.Type === "PIN" && !a.Params.some((p) => p.Name === "PIN")) return `Activities[${i}]: a PIN activity needs a Param named PIN`;
  return undefined;
}

export function idpointOperations(): OperationDef[] {
  const ops: OperationDef[] = IDPOINT_ENTITIES.filter((d) => d !== IdPointWhiteListDecl).flatMap(entityOperations);
  // The whitelists follow AccessControl data lazily; a read sees every change made before it.
  for (const op of entityOperations(IdPointWhiteListDecl)) {
    ops.push({
      ...op,
      handle(input, state) {
        ensureWhitelistsFresh(state);
        return op.handle(input, state);
      },
    });
  }
  const op = (name: string, input: ObjectShape, handle: OperationDef["handle"]): void => {
    ops.push({ prefix: "axtid", name, input, handle });
  };

  op("GetIdPointCapabilities", tokenRequest("GetIdPointCapabilities"), (input, state) => {
    const token = input["Token"] as string;
    if (missing(state, token)) return { IdPointCapabilities: {} };
    return { IdPointCapabilities: capabilitiesOf(state, token) };
  });

  op("GetIdPointConfigurationInfo", tokenRequest("GetIdPointConfigurationInfo"), (input, state) => {
    const token = input["Token"] as string;
    if (missing(state, token)) return { ConfigurationInfo: [] };
    return { ConfigurationInfo: configurationInfo(state.store("IdPointConfiguration").read(token, "full"), state) };
  });

  op("FeedbackMessage", FeedbackMessageShape, (input, state) => {
    const token = input["Token"] as string;
    for (const part of ["Graphics", "Audio"] as const) {
      const data = (input[part] as Item | undefined)?.["Data"];
      if (typeof data === "string" && !BASE64.test(data)) throw invalidArgs(`FeedbackMessage: ${part}.Data is not base64`);
    }
    if (missing(state, token) || state.quirks.has("idpoint-feedback-not-stored")) return {};
    const r = runtimeOf(state, token);
    // A commanded profile replaces whatever the last presentation showed.
    state.clock.cancel(r.transientTimer);
    delete r.transient;
    delete r.transientTimer;
    r.commanded = input["Profile"] as string;
    return {};
  });

  op("GetFeedbackMessage", tokenRequest("GetFeedbackMessage"), (input, state) => {
    const token = input["Token"] as string;
    if (missing(state, token)) return { Profile: "Idle" };
    return { Profile: feedbackOf(peekRuntime(state, token)) };
  });

  op("GetLastCredential", tokenRequest("GetLastCredential"), (input, state) => {
    const token = input["Token"] as string;
    if (missing(state, token, () => configurationNotFound(token))) return { IdData: [] };
    return { IdData: structuredClone(peekRuntime(state, token)?.lastCredential ?? []) };
  });

  op("IndicateRemoteActivities", IndicateRemoteActivitiesShape, (input, state) => {
    const token = input["Token"] as string;
    const activities = input["Activities"] as Activity[];
    if (!state.quirks.has("idpoint-remote-activity-params-unchecked")) {
      // The whole request is checked before any activity is applied.
      activities.forEach((a, i) => {
        const problem = activityProblem(a, i);
        if (problem !== undefined) throw invalidArgs(`IndicateRemoteActivities: ${problem}`);
      });
    }
    // "A hardware configuration needs to be in place": the IdPoint must exist.
    if (!tokenFound(state, "IdPoint", token)) return {};
    const description = input["Description"] as string | undefined;
    for (const a of activities) {
      const idData = a.Type === "REX" ? [{ Name: "REX", Value: "Active" }] : a.Params.map((p) => ({ Name: p.Name, Value: p.Value }));
      present(state, token, { kind: a.Type, recorded: idData, decide: idData, remote: true, ...(description !== undefined ? { description } : {}) });
    }
    return {};
  });

  return ops;
}
