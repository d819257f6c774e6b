/**
 * Request shapes of the event logger (axlog) and its configuration (axloc), after
 * event-logger-service.md's API reference. Times and keys are plain strings here: the operations
 * give the documented faults (ter:InvalidStartTime, ter:InvalidArgVal) themselves.
 */
import { bool, int, list, long, obj, opt, req, str, type ObjectShape } from "../shape.js";

/** axlog:FilterKeyValue: Value omitted or empty = the key with any value. */
const FilterKeyValueShape = obj("FilterKeyValue", [req("Key", str()), opt("Value", str())]);
const FilterSetShape = obj("FilterSet", [list("Filters", FilterKeyValueShape)]);

const FETCH_FIELDS = [opt("Start", str()), opt("Stop", str()), list("Filters", FilterKeyValueShape), opt("Limit", int()), opt("RowID", long), opt("Descending", bool)];

/** FetchEvents / FetchAlarms. */
export const fetchRequest = (name: string): ObjectShape => obj(name, FETCH_FIELDS);
/** FetchEvents2 (= FetchEvents3) / FetchAlarms2: FetchEvents plus FilterSets. */
export const fetch2Request = (name: string): ObjectShape => obj(name, [...FETCH_FIELDS, list("FilterSets", FilterSetShape)]);

/** axloc:KeyValue of a filter. Key is checked by the operation (ter:InvalidArgVal, not a shape error). */
const KeyValueShape = obj("KeyValue", [opt("Key", str()), opt("Value", str())]);
/** axloc:IgnoreFilter / axloc:AlarmFilter. */
const FilterShape = obj("Filter", [opt("token", str()), list("KeyValues", KeyValueShape), list("UUIDs", str())]);

export const setFilterRequest = (name: string): ObjectShape => obj(name, [list("Filter", FilterShape)]);
export const tokensRequest = (name: string): ObjectShape => obj(name, [list("Token", str())]);
