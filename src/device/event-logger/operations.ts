/** The axlog (EventLogger) and axloc (EventLoggerConfig) operations. */
import type { Item } from "../entity.js";
import { notFound } from "../faults.js";
import type { OperationDef, ServicePrefix } from "../operation.js";
import { emptyRequest, type ObjectShape } from "../shape.js";
import type { DeviceState } from "../state.js";
import type { FilterInput, FilterTable } from "./filters.js";
import { eventLogger } from "./logger.js";
import type { RowLog } from "./log.js";
import { fetchFrom, type FetchInput } from "./query.js";
import { fetch2Request, fetchRequest, setFilterRequest, tokensRequest } from "./shapes.js";

function op(prefix: ServicePrefix, name: string, input: ObjectShape, handle: (input: Item, state: DeviceState) => Item): OperationDef {
  return { prefix, name, input, handle };
}

/** FetchEvents*, FetchAlarms*: `field` is the response's list element ("Event" / "Alarm"). */
function fetchOp(name: string, shape: ObjectShape, field: string, log: (state: DeviceState) => RowLog): OperationDef {
  return op("axlog", name, shape, (input, state) => {
    const { events, more } = fetchFrom(log(state), input as unknown as FetchInput, state.quirks);
    // The generic schema quirk: the required More is left out.
    return state.quirks.has("schema-invalid-response") ? { [field]: events } : { [field]: events, More: more };
  });
}

function filterOps(kind: "Ignore" | "Alarm", table: (state: DeviceState) => FilterTable): OperationDef[] {
  return [
    op("axloc", `Set${kind}Filter`, setFilterRequest(`Set${kind}Filter`), (input, state) => {
      const logger = eventLogger(state);
      return { Token: table(state).set(input["Filter"] as FilterInput[], () => logger.allocateToken()) };
    }),
    op("axloc", `Get${kind}FilterList`, emptyRequest(`Get${kind}FilterList`), (_in, state) => ({
      Filter: table(state).list(state.quirks.has("eventlog-filter-not-listed")),
    })),
    op("axloc", `Remove${kind}Filter`, tokensRequest(`Remove${kind}Filter`), (input, state) => {
      table(state).remove(input["Token"] as string[], state.quirks.has("eventlog-remove-unknown-ok"));
      return {};
    }),
  ];
}

export function eventLoggerOperations(): OperationDef[] {
  const events = (state: DeviceState): RowLog => eventLogger(state).events;
  const alarms = (state: DeviceState): RowLog => eventLogger(state).alarms;
  return [
    fetchOp("FetchEvents", fetchRequest("FetchEvents"), "Event", events),
    fetchOp("FetchEvents2", fetch2Request("FetchEvents2"), "Event", events),
    // FetchEvents3 takes what FetchEvents2 takes (newer firmware's name for it).
    fetchOp("FetchEvents3", fetch2Request("FetchEvents3"), "Event", events),
    fetchOp("FetchAlarms", fetchRequest("FetchAlarms"), "Alarm", alarms),
    fetchOp("FetchAlarms2", fetch2Request("FetchAlarms2"), "Alarm", alarms),
    op("axlog", "RemoveLoggedAlarm", tokensRequest("RemoveLoggedAlarm"), (input, state) => {
      const q = state.quirks;
      const list = eventLogger(state).alarms;
      const tokens = input["Token"] as string[];
      if (!q.has("eventlog-remove-unknown-ok")) for (const t of tokens) if (!list.has(t)) throw notFound("Alarm", t);
      if (!q.has("eventlog-alarm-not-removed")) list.remove(new Set(tokens));
      return {};
    }),
    ...filterOps("Ignore", (state) => eventLogger(state).ignoreFilters),
    ...filterOps("Alarm", (state) => eventLogger(state).alarmFilters),
    op("axloc", "GetServiceCapabilities", emptyRequest("GetServiceCapabilities"), () => ({ Capabilities: { EnableGlobalEvents: true } })),
    op("axloc", "EnableGlobalDistribution", emptyRequest("EnableGlobalDistribution"), (_in, state) => {
      if (!state.quirks.has("eventlog-distribution-not-toggled")) eventLogger(state).globalDistribution = true;
      return {};
    }),
    op("axloc", "DisableGlobalDistribution", emptyRequest("DisableGlobalDistribution"), (_in, state) => {
      if (!state.quirks.has("eventlog-distribution-not-toggled")) eventLogger(state).globalDistribution = false;
      return {};
    }),
    op("axloc", "GetEventDistributionConfig", emptyRequest("GetEventDistributionConfig"), (_in, state) => ({
      EventDistributionConfig: { GlobalDistributionEnabled: eventLogger(state).globalDistribution },
    })),
  ];
}
