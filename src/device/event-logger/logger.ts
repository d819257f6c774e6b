/**
 * The event logger's runtime: it hears every published event (DeviceState.subscribe), applies the
 * alarm and ignore filters, and stores what it keeps in the event log and, for alarms, the alarm
 * log too (event-logger-service.md). Filters and the distribution flag are stored configuration;
 * the logs are not (they only grow), so only the former are in the device snapshot. `--state`
 * keeps both: the configuration as settings, the logs row by row (keptLogs).
 */
import type { KeptLog } from "../service.js";
import { AxisTokenClock, type DeviceEvent, type DeviceState } from "../state.js";
import { FilterTable, type StoredFilter } from "./filters.js";
import { AlarmList, EventRing } from "./log.js";
import { SOURCE_TAG, eventKeyValues, type EventBody } from "./record.js";
import { ALARM_TOPIC } from "./topics.js";

/** "The event log can contain maximum 30,000 events". */
export const EVENT_LOG_CAPACITY = 30_000;
/** "The alarm list contains at most 200 alarms". */
export const ALARM_LOG_CAPACITY = 200;

const NO_TAGS: readonly string[] = Object.freeze([]);

export interface EventLoggerSnapshot {
  readonly GlobalDistributionEnabled: boolean;
  readonly IgnoreFilters: readonly StoredFilter[];
  readonly AlarmFilters: readonly StoredFilter[];
}

export class EventLogger {
  readonly events = new EventRing(EVENT_LOG_CAPACITY);
  readonly alarms = new AlarmList(ALARM_LOG_CAPACITY);
  readonly ignoreFilters = new FilterTable("ignore filter");
  readonly alarmFilters = new FilterTable("alarm filter");
  /** "Global distribution is enabled by default". */
  globalDistribution = true;
  private readonly tokens: AxisTokenClock;

  constructor(private readonly state: DeviceState) {
    this.tokens = new AxisTokenClock(() => state.axisId, 1n);
  }

  /**
   * A new Axis-style token `Axis-<mac>:<seconds>.<nanoseconds>` for time `ms` (default now),
   * strictly rising (events, alarms and filters share it).
   */
  allocateToken(ms = this.state.now()): string {
    return this.tokens.next(ms);
  }

  /**
   * Logs one published event. An alarm filter match elevates it (alarm log + Alarm event) and
   * overrides any ignore filter; otherwise an ignore filter match drops it. The Alarm event itself
   * is never elevated ("that would cause a cyclic behavior").
   */
  record(event: DeviceEvent): void {
    const q = this.state.quirks;
    // An event another controller of the network distributed is logged under its UUID.
    const uuid = event.origin ?? this.state.identity.uuid;
    const kvs = eventKeyValues(event, this.state, this.globalDistribution);
    const alarmFilter = event.topic === ALARM_TOPIC || q.has("eventlog-alarm-filter-unapplied") ? undefined : this.alarmFilters.firstMatch(kvs, uuid);
    if (alarmFilter === undefined && !q.has("eventlog-ignore-filter-unapplied") && this.ignoreFilters.firstMatch(kvs, uuid) !== undefined) return;
    const ms = Date.parse(event.utcTime);
    const body: EventBody = {
      token: this.allocateToken(ms),
      UUID: uuid,
      UtcTime: event.utcTime,
      KeyValues: q.has("eventlog-missing-source-keys") ? kvs.filter((kv) => !kv.Tags.includes(SOURCE_TAG)) : kvs,
      Tags: NO_TAGS,
    };
    this.events.append(body, ms);
    if (alarmFilter === undefined) return;
    const alarm = this.alarms.append(body, ms);
    // Published from a listener, so DeviceState delivers it after the elevated event has reached
    // every listener: subscribers see the event before its Alarm.
    this.state.publish({ topic: ALARM_TOPIC, source: { AlarmToken: alarm.token }, data: { Topic: event.topic, FilterToken: alarmFilter.token } });
  }

  /** The configuration `--state` keeps: the distribution flag and both filter lists in creation order (the first match wins). */
  settings(): EventLoggerSnapshot {
    return { GlobalDistributionEnabled: this.globalDistribution, IgnoreFilters: this.ignoreFilters.list(), AlarmFilters: this.alarmFilters.list() };
  }

  /** Puts saved settings back; throws on a value that is not what `settings` wrote. */
  restoreSettings(saved: Readonly<Record<string, unknown>>): void {
    const flag = saved["GlobalDistributionEnabled"];
    if (typeof flag !== "boolean") throw new Error(`GlobalDistributionEnabled is ${JSON.stringify(flag)}, not a boolean`);
    const filters = (name: string): StoredFilter[] => {
      const list = saved[name];
      const ok = Array.isArray(list) && list.every((f: unknown) => {
        const o = f as Partial<StoredFilter> | null;
        return o !== null && typeof o === "object" && typeof o.token === "string" && Array.isArray(o.UUIDs) && o.UUIDs.every((u) => typeof u === "string") && Array.isArray(o.KeyValues) && o.KeyValues.every((kv) => typeof kv?.Key === "string" && (kv.Value === undefined || typeof kv.Value === "string"));
      });
      if (!ok) throw new Error(`${name} is not a list of filters (token, KeyValues, UUIDs)`);
      return list as StoredFilter[];
    };
    const [ignore, alarm] = [filters("IgnoreFilters"), filters("AlarmFilters")];
    this.globalDistribution = flag;
    this.ignoreFilters.load(ignore);
    this.alarmFilters.load(alarm);
    // New tokens sort after the restored ones, even when the clock restarts earlier (a virtual clock).
    for (const f of [...ignore, ...alarm]) this.tokens.advancePast(f.token);
  }

  /** The event and alarm logs as `--state` keeps them; loading one makes later tokens sort after its newest row's. */
  keptLogs(): Readonly<Record<string, KeptLog>> {
    const kept = (log: EventRing | AlarmList): KeptLog => ({
      get nextRowid() {
        return log.nextRowid;
      },
      rows: () => log.rows(),
      load: (rows, nextRowid) => {
        log.load(rows, nextRowid);
        log.scan({ descending: true, inclusive: true }, (e) => {
          this.tokens.advancePast(e.event.token);
          return false;
        });
      },
      observe: (observer) => log.observe(observer),
    });
    return { "EventLogger.events": kept(this.events), "EventLogger.alarms": kept(this.alarms) };
  }

  snapshot(): EventLoggerSnapshot {
    const byToken = (a: StoredFilter, b: StoredFilter): number => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0);
    return {
      GlobalDistributionEnabled: this.globalDistribution,
      IgnoreFilters: this.ignoreFilters.list().sort(byToken),
      AlarmFilters: this.alarmFilters.list().sort(byToken),
    };
  }
}

/** The device's event logger (created on first use). */
export function eventLogger(state: DeviceState): EventLogger {
  return state.runtime("event-logger", () => new EventLogger(state));
}
