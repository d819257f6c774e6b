/**
 * Reads a ScheduleDefinition / ExceptionScheduleDefinition: iCalendar (RFC 5545) in the flavour of
 * schedule-service.md ("The RFC5545 syntax flavor" and the API reference's required subset): one
 * VCALENDAR of VEVENTs in local time, recurring by RRULE (HOURLY, MINUTELY, SECONDLY, DAILY,
 * WEEKLY with BYDAY, MONTHLY with BYMONTHDAY, YEARLY with BYMONTH; INTERVAL, COUNT, UNTIL) and
 * RDATE (DATE-TIME, DATE, PERIOD). What the page lists as unsupported (UTC times, VTIMEZONE/TZID,
 * VALARM) is refused, and every error names its line.
 *
 * ical.js reads each content line (name, parameters, quoting) and the RRULE value, and expands
 * the recurrences (recurrence.ts). Its value parsers are lenient ("DTSTART:garbage" passes,
 * 25:00 rolls over to the next day, unknown RRULE parts vanish), so date, time and rule values
 * are also checked here, strictly, against the raw text (docs/icalendar.md).
 */
import ICAL from "ical.js";
import { DAY_MS, type Wall } from "./timezone.js";

export type ICalendarProblem = "invalid" | "unsupported";

/** Text that is not iCalendar ("invalid") or outside the documented subset ("unsupported"). */
export class ICalendarError extends Error {
  override readonly name = "ICalendarError";
  readonly code = "ICALENDAR";
  constructor(
    readonly kind: ICalendarProblem,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(line === undefined ? detail : `line ${line}: ${detail}`);
  }
}

export interface RecurrenceRule {
  /** The rule as ical.js iterates it. */
  readonly recur: ICAL.Recur;
  readonly freq: string;
  readonly interval: number;
  /** COUNT applied here rather than by ical.js (see dayOfMonth); undefined when ical.js applies it or there is none. */
  readonly count?: number;
  /** The rule has a COUNT (wherever it is applied): its occurrences are numbered from DTSTART. */
  readonly counted: boolean;
  /**
   * YEARLY rules from day 29–31: ical.js moves a date that does not exist (Feb 29 in 2025, Jun 31)
   * to the next month instead of skipping it as RFC 5545 3.3.10 requires, so only occurrences on
   * this day of the month are kept.
   */
  readonly dayOfMonth?: number;
}

export interface RecurrenceDate {
  readonly start: Wall;
  /** PERIOD values bring their own length; others take the event's. */
  readonly length?: number;
}

export interface CalendarEvent {
  /** Line of its BEGIN:VEVENT. */
  readonly line: number;
  readonly start: ICAL.Time;
  readonly startWall: Wall;
  readonly startIsDate: boolean;
  /** DTEND − DTSTART or DURATION, in wall-clock ms; undefined when the VEVENT gives neither. */
  readonly length?: number;
  readonly rrule?: RecurrenceRule;
  /** Ascending. */
  readonly rdates: readonly RecurrenceDate[];
  /** EXDATE date-times (an occurrence starting exactly then is left out). */
  readonly exdates: ReadonlySet<Wall>;
  /** EXDATE dates (every occurrence starting that day is left out), as midnight. */
  readonly exdays: ReadonlySet<Wall>;
}

export interface ScheduleCalendar {
  readonly events: readonly CalendarEvent[];
}

export const EMPTY_CALENDAR: ScheduleCalendar = { events: [] };

export interface ParseOptions {
  /** Accept what the documented subset excludes, ignoring it (the `schedule-unsupported-accepted` quirk). */
  readonly allowUnsupported?: boolean;
}

/** A device limit: COUNT rules are expanded from DTSTART on every evaluation. */
const MAX_COUNT = 100_000;

const FREQUENCIES = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"];
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const RULE_PARTS = ["FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"];
/** The documented subset: "WEEKLY, WEEKLY;BYDAY", "MONTHLY, MONTHLY;BYMONTHDAY", "YEARLY, YEARLY;BYMONTH". */
const BY_PART_OF: Readonly<Record<string, string>> = { WEEKLY: "BYDAY", MONTHLY: "BYMONTHDAY", YEARLY: "BYMONTH" };
const SUBSET_HINT = "the supported rules are SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY (BYDAY), MONTHLY (BYMONTHDAY) and YEARLY (BYMONTH), with INTERVAL, COUNT or UNTIL";
const LOCAL_TIME_HINT = "schedules use the device's local time only: write times without TZID and without a trailing Z";

interface ContentLine {
  readonly line: number;
  readonly text: string;
}

interface RawProperty {
  readonly line: number;
  /** Upper case. */
  readonly name: string;
  readonly valueType: string;
  readonly tzid: string | undefined;
  /** The value text as written (after the first colon outside quotes). */
  readonly value: string;
}

const invalid = (line: number | undefined, detail: string): ICalendarError => new ICalendarError("invalid", line, detail);

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** RFC 5545 3.1: lines end in CRLF (LF and CR are accepted too); a line starting with a space or tab continues the previous one. */
function contentLines(text: string): ContentLine[] {
  const out: { line: number; text: string }[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    if (raw.trim() === "") return;
    const last = out[out.length - 1];
    if ((raw[0] === " " || raw[0] === "\t") && last !== undefined) last.text += raw.slice(1);
    else out.push({ line: i + 1, text: raw });
  });
  return out.map((l) => ({ line: l.line, text: l.text.trim() }));
}

/** Index of the colon that ends name and parameters (a quoted parameter value may hold colons). */
function valueColon(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ":" && !quoted) return i;
  }
  return -1;
}

function readProperty(cl: ContentLine): RawProperty {
  let prop: ICAL.Property;
  try {
    prop = ICAL.Property.fromString(cl.text);
  } catch (err) {
    // ical.js reads the value with the line, so this is either the line's form or its value.
    throw invalid(cl.line, `cannot read "${excerpt(cl.text)}" (an iCalendar line is NAME[;PARAM=VALUE]:VALUE): ${(err as Error).message}`);
  }
  const param = (name: string): string | undefined => {
    const v = prop.getParameter(name);
    return Array.isArray(v) ? v.join(",") : typeof v === "string" ? v : undefined;
  };
  return {
    line: cl.line,
    name: prop.name.toUpperCase(),
    // ical.js takes VALUE= as the property's type (the RFC default when absent).
    valueType: prop.type.toUpperCase(),
    tzid: param("tzid"),
    value: cl.text.slice(valueColon(cl.text) + 1),
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

interface TimeValue {
  readonly wall: Wall;
  readonly isDate: boolean;
  readonly utc: boolean;
}

const DATE_RE = /^(\d{4})(\d{2})(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/;

/** A DATE (YYYYMMDD) or DATE-TIME (YYYYMMDDThhmmss[Z]) value, checked field by field. */
function readTime(raw: string, type: "DATE" | "DATE-TIME", line: number, what: string): TimeValue {
  const text = raw.trim();
  const m = (type === "DATE" ? DATE_RE : DATE_TIME_RE).exec(text);
  const example = type === "DATE" ? "20120312" : "20120312T080000";
  if (m === null) throw invalid(line, `${what} "${excerpt(text)}" is not a ${type} value such as ${example}`);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) throw invalid(line, `${what} "${text}": month ${m[2]} does not exist (01–12)`);
  if (day < 1 || day > daysInMonth(year, month)) throw invalid(line, `${what} "${text}": ${year}-${m[2]} has no day ${m[3]}`);
  if (hour > 23 || minute > 59 || second > 59) throw invalid(line, `${what} "${text}": ${m[4]}:${m[5]}:${m[6]} is not a time of day (00:00:00–23:59:59)`);
  return { wall: Date.UTC(year, month - 1, day, hour, minute, second), isDate: type === "DATE", utc: m[7] === "Z" };
}

/** An ical.js time for a wall-clock value (floating: no zone). */
export function timeOf(wall: Wall, isDate: boolean): ICAL.Time {
  const d = new Date(wall);
  return ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate });
}

const DURATION_RE = /^[+]?P(?:\d+W|(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$/;

function readDuration(raw: string, line: number, what: string): number {
  const text = raw.trim();
  if (!DURATION_RE.test(text) || text.endsWith("P") || text.endsWith("T")) throw invalid(line, `${what} "${excerpt(text)}" is not a positive duration such as PT8H or P1D`);
  const ms = ICAL.Duration.fromString(text).toSeconds() * 1000;
  if (ms <= 0) throw invalid(line, `${what} "${text}" is not longer than zero`);
  return ms;
}

class Checker {
  constructor(private readonly strict: boolean) {}

  /** Refuses what the documented subset excludes, unless the quirk lets it through. */
  unsupported(line: number, detail: string): void {
    if (this.strict) throw new ICalendarError("unsupported", line, detail);
  }

  time(p: RawProperty, raw: string, type: "DATE" | "DATE-TIME", what: string): TimeValue {
    if (p.tzid !== undefined) this.unsupported(p.line, `${what} has TZID=${p.tzid}: time zones (VTIMEZONE, TZID) are not supported; ${LOCAL_TIME_HINT}`);
    const t = readTime(raw, type, p.line, what);
    if (t.utc) this.unsupported(p.line, `${what} "${raw.trim()}" is in UTC: UTC time is not supported; ${LOCAL_TIME_HINT}`);
    return t;
  }

  rule(p: RawProperty, start: TimeValue): RecurrenceRule {
    const parts = new Map<string, string>();
    for (const piece of p.value.split(";")) {
      if (piece.trim() === "") continue;
      const eq = piece.indexOf("=");
      if (eq <= 0) throw invalid(p.line, `RRULE part "${excerpt(piece)}" is not NAME=VALUE (e.g. FREQ=WEEKLY;BYDAY=MO,TU)`);
      const name = piece.slice(0, eq).trim().toUpperCase();
      if (parts.has(name)) throw invalid(p.line, `RRULE names ${name} twice`);
      parts.set(name, piece.slice(eq + 1).trim().toUpperCase());
    }
    const freq = parts.get("FREQ");
    if (freq === undefined) throw invalid(p.line, "RRULE has no FREQ; start it with FREQ=DAILY, FREQ=WEEKLY, …");
    if (!FREQUENCIES.includes(freq)) throw invalid(p.line, `RRULE FREQ=${freq} is not one of ${FREQUENCIES.join(", ")}`);
    for (const name of parts.keys()) {
      if (!RULE_PARTS.includes(name) && !name.startsWith("X-")) throw invalid(p.line, `RRULE part ${name} does not exist in RFC 5545`);
      if (name.startsWith("BY") && BY_PART_OF[freq] !== name) this.unsupported(p.line, `RRULE ${name} with FREQ=${freq} is not supported: ${SUBSET_HINT}`);
    }
    const positive = (name: string, max: number): number | undefined => {
      const v = parts.get(name);
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v) || Number(v) < 1) throw invalid(p.line, `RRULE ${name}=${v} must be a whole number of at least 1`);
      if (Number(v) > max) throw invalid(p.line, `RRULE ${name}=${v} exceeds this device's limit of ${max}`);
      return Number(v);
    };
    const interval = positive("INTERVAL", 1_000_000) ?? 1;
    const count = positive("COUNT", MAX_COUNT);
    const until = parts.get("UNTIL");
    if (count !== undefined && until !== undefined) throw invalid(p.line, "RRULE has both COUNT and UNTIL; RFC 5545 allows one of them");
    if (until !== undefined) this.time({ ...p, tzid: undefined }, until, until.includes("T") ? "DATE-TIME" : "DATE", "RRULE UNTIL");
    const list = (name: string, ok: (v: string) => boolean, what: string): void => {
      const v = parts.get(name);
      if (v === undefined) return;
      for (const item of v.split(",")) if (!ok(item.trim())) throw invalid(p.line, `RRULE ${name} value "${item}" is not ${what}`);
    };
    const day = (v: string): boolean => WEEKDAYS.includes(v);
    list("BYDAY", (v) => day(v) || /^[+-]?\d{1,2}(SU|MO|TU|WE|TH|FR|SA)$/.test(v), "a weekday (MO, TU, …)");
    if ((parts.get("BYDAY") ?? "").split(",").some((v) => v !== "" && !day(v.trim()))) this.unsupported(p.line, `RRULE BYDAY=${parts.get("BYDAY")}: an n-th weekday is not supported; ${SUBSET_HINT}`);
    list("BYMONTHDAY", (v) => /^[+-]?\d{1,2}$/.test(v) && Math.abs(Number(v)) >= 1 && Math.abs(Number(v)) <= 31, "a day of the month (1–31 or -31–-1)");
    list("BYMONTH", (v) => /^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 12, "a month (1–12)");
    list("WKST", day, "a weekday (MO, TU, …)");

    // RFC 5545 3.3.10: dates that do not exist are skipped. ical.js shifts them (see RecurrenceRule).
    const startDay = new Date(start.wall).getUTCDate();
    const yearlyFix = freq === "YEARLY" && startDay >= 29 && !parts.has("BYMONTHDAY");
    const text = [...parts].filter(([k]) => !(yearlyFix && k === "COUNT")).map(([k, v]) => `${k}=${v}`).join(";");
    let recur: ICAL.Recur;
    try {
      recur = ICAL.Recur.fromString(text);
    } catch (err) {
      throw invalid(p.line, `RRULE "${excerpt(p.value)}": ${(err as Error).message}`);
    }
    return {
      recur,
      freq,
      interval,
      counted: count !== undefined,
      ...(yearlyFix ? { dayOfMonth: startDay, ...(count !== undefined ? { count } : {}) } : {}),
    };
  }
}

function buildEvent(line: number, props: readonly RawProperty[], check: Checker): CalendarEvent {
  const one = (name: string): RawProperty | undefined => {
    const all = props.filter((p) => p.name === name);
    if (all.length > 1) throw invalid(all[1]!.line, `${name} appears twice in the VEVENT of line ${line}`);
    return all[0];
  };
  const typeOf = (p: RawProperty, allowed: readonly string[]): string => {
    const t = p.valueType;
    if (!allowed.includes(t)) throw invalid(p.line, `${p.name};VALUE=${t} is not allowed; use ${allowed.map((a) => `VALUE=${a}`).join(" or ")}`);
    return t;
  };
  const dtstart = one("DTSTART");
  if (dtstart === undefined) throw invalid(line, "the VEVENT that starts here has no DTSTART; every VEVENT needs one (RFC 5545 3.6.1)");
  const startType = typeOf(dtstart, ["DATE-TIME", "DATE"]) as "DATE" | "DATE-TIME";
  const start = check.time(dtstart, dtstart.value, startType, "DTSTART");

  const dtend = one("DTEND");
  const duration = one("DURATION");
  if (dtend !== undefined && duration !== undefined) throw invalid(duration.line, "a VEVENT has DTEND or DURATION, not both (RFC 5545 3.6.1)");
  let length: number | undefined;
  if (dtend !== undefined) {
    const endType = typeOf(dtend, ["DATE-TIME", "DATE"]);
    if (endType !== startType) throw invalid(dtend.line, `DTEND is a ${endType} but DTSTART (line ${dtstart.line}) is a ${startType}; give both the same type`);
    const end = check.time(dtend, dtend.value, endType as "DATE" | "DATE-TIME", "DTEND");
    if (end.wall <= start.wall) throw invalid(dtend.line, `DTEND ${dtend.value.trim()} is not after DTSTART ${dtstart.value.trim()}: an interval ends after it starts`);
    length = end.wall - start.wall;
  } else if (duration !== undefined) {
    length = readDuration(duration.value, duration.line, "DURATION");
  }

  const rules = props.filter((p) => p.name === "RRULE");
  if (rules.length > 1) check.unsupported(rules[1]!.line, `a second RRULE in one VEVENT is not supported; put each rule in its own VEVENT`);
  const rrule = rules[0] === undefined ? undefined : check.rule(rules[0], start);

  const rdates: RecurrenceDate[] = [];
  const exdates = new Set<Wall>();
  const exdays = new Set<Wall>();
  const timeOfDay = start.wall - Math.floor(start.wall / DAY_MS) * DAY_MS;
  for (const p of props) {
    if (p.name === "RDATE") {
      const type = typeOf(p, ["DATE-TIME", "DATE", "PERIOD"]);
      for (const raw of p.value.split(",")) {
        if (type === "PERIOD") {
          const [from, to, extra] = raw.split("/");
          if (from === undefined || to === undefined || extra !== undefined) throw invalid(p.line, `RDATE period "${excerpt(raw.trim())}" is not START/END or START/DURATION`);
          const s = check.time(p, from, "DATE-TIME", "RDATE period start");
          const len = /^\s*[+-]?P/.test(to) ? readDuration(to, p.line, "RDATE period duration") : check.time(p, to, "DATE-TIME", "RDATE period end").wall - s.wall;
          if (len <= 0) throw invalid(p.line, `RDATE period "${raw.trim()}" does not end after it starts`);
          rdates.push({ start: s.wall, length: len });
        } else {
          const t = check.time(p, raw, type as "DATE" | "DATE-TIME", "RDATE");
          // The page's RDATE;VALUE=DATE example with a DATE-TIME DTSTART: each date at DTSTART's time of day.
          rdates.push({ start: t.isDate && !start.isDate ? t.wall + timeOfDay : t.wall });
        }
      }
    } else if (p.name === "EXDATE") {
      const type = typeOf(p, ["DATE-TIME", "DATE"]);
      for (const raw of p.value.split(",")) {
        const t = check.time(p, raw, type as "DATE" | "DATE-TIME", "EXDATE");
        if (t.isDate) exdays.add(t.wall);
        else exdates.add(t.wall);
      }
    } else if (p.name === "EXRULE") {
      check.unsupported(p.line, "EXRULE is not supported (RFC 5545 dropped it); subtract with ExceptionScheduleDefinition instead");
    } else if (p.name === "RECURRENCE-ID") {
      check.unsupported(p.line, "RECURRENCE-ID (a changed occurrence) is not supported; subtract with ExceptionScheduleDefinition instead");
    }
  }
  rdates.sort((a, b) => a.start - b.start);
  return {
    line,
    start: timeOf(start.wall, start.isDate),
    startWall: start.wall,
    startIsDate: start.isDate,
    ...(length !== undefined ? { length } : {}),
    ...(rrule !== undefined ? { rrule } : {}),
    rdates,
    exdates,
    exdays,
  };
}

const NOT_SUPPORTED_COMPONENT: Readonly<Record<string, string>> = {
  VTIMEZONE: `VTIMEZONE is not supported: ${LOCAL_TIME_HINT}`,
  VALARM: "VALARM is not supported: a schedule has no alarms",
};

/**
 * Parses one schedule definition. Empty text (or only white space) is an empty calendar: the
 * schedule is never active (as the Entry Manager's "Never" schedule, an empty VCALENDAR).
 */
export function parseSchedule(text: string, options: ParseOptions = {}): ScheduleCalendar {
  const lines = contentLines(text);
  if (lines.length === 0) return EMPTY_CALENDAR;
  const check = new Checker(options.allowUnsupported !== true);
  const events: CalendarEvent[] = [];
  const stack: { name: string; line: number; skip: boolean; props: RawProperty[] }[] = [];
  let calendars = 0;
  for (const cl of lines) {
    const m = /^(BEGIN|END):(.*)$/i.exec(cl.text);
    const top = stack[stack.length - 1];
    if (m !== null) {
      const comp = m[2]!.trim().toUpperCase();
      if (!/^[A-Z0-9-]+$/.test(comp)) throw invalid(cl.line, `"${excerpt(cl.text)}" does not name a component`);
      if (m[1]!.toUpperCase() === "BEGIN") {
        if (top === undefined) {
          if (comp !== "VCALENDAR") throw invalid(cl.line, `expected BEGIN:VCALENDAR, found "${excerpt(cl.text)}"`);
          if (calendars++ > 0) throw invalid(cl.line, "a schedule holds one VCALENDAR; this is a second one");
          stack.push({ name: comp, line: cl.line, skip: false, props: [] });
          continue;
        }
        let skip = top.skip;
        if (!skip && !(top.name === "VCALENDAR" && comp === "VEVENT")) {
          const where = top.name === "VCALENDAR" ? "" : ` inside ${top.name}`;
          check.unsupported(cl.line, NOT_SUPPORTED_COMPONENT[comp] ?? `${comp}${where} is not supported: a schedule is a VCALENDAR of VEVENTs (GetServiceCapabilities Component)`);
          skip = true;
        }
        stack.push({ name: comp, line: cl.line, skip, props: [] });
      } else {
        if (top === undefined) throw invalid(cl.line, `"${excerpt(cl.text)}" has no matching BEGIN:${comp}`);
        if (top.name !== comp) throw invalid(cl.line, `"${excerpt(cl.text)}" cannot close ${top.name}, opened on line ${top.line}; expected END:${top.name}`);
        stack.pop();
        if (comp === "VEVENT" && !top.skip) events.push(buildEvent(top.line, top.props, check));
      }
      continue;
    }
    if (top === undefined) throw invalid(cl.line, calendars === 0 ? `expected BEGIN:VCALENDAR, found "${excerpt(cl.text)}"` : `"${excerpt(cl.text)}" follows END:VCALENDAR`);
    const prop = readProperty(cl);
    if (top.skip) continue;
    if (top.name === "VCALENDAR" && prop.name === "CALSCALE" && prop.value.trim().toUpperCase() !== "GREGORIAN") {
      check.unsupported(cl.line, `CALSCALE:${prop.value.trim()} is not supported; schedules use the Gregorian calendar`);
    }
    top.props.push(prop);
  }
  const open = stack[stack.length - 1];
  if (open !== undefined) throw invalid(lines[lines.length - 1]!.line, `${open.name} opened on line ${open.line} is never closed; add END:${open.name}`);
  return { events };
}
