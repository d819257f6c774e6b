/**
 * The IdPoint service (axtid): IdPoints (readers, keypads, REX inputs), their hardware
 * configuration, card formats, feedback, whitelists and remote activities, and the readers of the
 * simulated world. Behaviour follows idpoint-service.md (guide + API reference), with the examples
 * of peripherals.md and system-integration-examples.md.
 */
import type { DeviceService } from "../service.js";
import type { DeviceState } from "../state.js";
import { IDPOINT_ENTITIES } from "./declarations.js";
import { installDefaults, populate } from "./defaults.js";
import { IDPOINT_STATUS_STIMULUS, forgetIdPointStatus } from "./device-status.js";
import { idpointOperations } from "./operations.js";
import { attachPhysical } from "./physical.js";
import { IDPOINT_QUIRKS } from "./quirks.js";
import { TOPIC, runtimeSnapshot } from "./runtime.js";
import { capabilitiesOf } from "./settings.js";
import { IDPOINT_TOPICS } from "./topics.js";
import { WHITELIST_STIMULI, affectsWhitelists, markWhitelistsDirty } from "./whitelist.js";

/** IdPointInfo.Capabilities follow the configuration; the stored Info form is kept current. */
function refreshCapabilities(state: DeviceState, token: string): void {
  const store = state.store("IdPoint");
  const full = store.read(token, "full");
  const info = store.read(token, "info");
  if (full === undefined || info === undefined || info === full) return;
  store.put(token, full, { ...info, Capabilities: capabilitiesOf(state, token) });
}

function attach(state: DeviceState): void {
  state.topics.register(...IDPOINT_TOPICS);
  attachPhysical(state);
  state.world.register(IDPOINT_STATUS_STIMULUS);
  for (const kind of WHITELIST_STIMULI) state.world.register(kind);
  state.subscribe((event) => {
    const token = event.source["IdPointToken"] ?? event.source["IdPointConfigurationToken"];
    const ours = event.topic === `${TOPIC.idPoint}/Changed` || event.topic.startsWith(`${TOPIC.configuration}/`);
    if (ours && token !== undefined) refreshCapabilities(state, token);
    if (event.topic === `${TOPIC.idPoint}/Removed` && token !== undefined) forgetIdPointStatus(state, token);
    if (affectsWhitelists(event.topic)) markWhitelistsDirty(state);
  });
}

export const idpointService: DeviceService = {
  name: "IdPoint",
  prefixes: ["axtid"],
  entities: IDPOINT_ENTITIES,
  quirks: IDPOINT_QUIRKS,
  operations: idpointOperations,
  attach,
  installDefaults,
  populate,
  snapshot: runtimeSnapshot,
};
