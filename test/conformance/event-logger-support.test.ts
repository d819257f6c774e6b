import { describe, expect, it } from "@jest/globals";
import { filterPairs, formatUtc, matchesAll, rowIdOf, tagsOf, timeOf, valueOf } from "../../conformance/cases/event-logger/support.js";

// The FetchEvents response example of event-logger-service.md, as the JSON binding decodes it.
const accessGranted = {
  rowid: 76,
  token: "Axis-00408c184c74:1382951603.616761001",
  UUID: "5581ad80-95b0-11e0-b883-00408c184c74",
  UtcTime: "2013-10-28T09:13:23.018766Z",
  KeyValues: [
    { Key: "CredentialHolderName", Value: "Axis-00408c184c74:1382951566.633213000", Tags: ["onvif-data"] },
    { Key: "AccessPointToken", Value: "Axis-00408c184c74:1382951520.315392000", Tags: ["wstype:pt:ReferenceToken", "onvif-source"] },
    { Key: "topic2", Value: "Credential", Tags: [] },
    { Key: "topic1", Value: "AccessGranted", Tags: [] },
    { Key: "topic0", Value: "AccessControl", Tags: [] },
  ],
  Tags: [],
};

describe("event logger check support", () => {
  it("reads key-values, tags and the row id of a fetched event", () => {
    expect(valueOf(accessGranted, "topic0")).toBe("AccessControl");
    expect(valueOf(accessGranted, "State")).toBeUndefined();
    expect(tagsOf(accessGranted, "AccessPointToken")).toEqual(["wstype:pt:ReferenceToken", "onvif-source"]);
    expect(rowIdOf(accessGranted)).toBe(76);
    expect(rowIdOf({ rowid: "77" })).toBe(77);
    expect(rowIdOf({})).toBeNaN();
  });

  it("matches filters with AND, a missing Value matching any value", () => {
    expect(matchesAll(accessGranted, [{ Key: "topic0", Value: "AccessControl" }, { Key: "topic1", Value: "AccessGranted" }])).toBe(true);
    expect(matchesAll(accessGranted, [{ Key: "topic0", Value: "AccessControl" }, { Key: "topic1", Value: "Denied" }])).toBe(false);
    expect(matchesAll(accessGranted, [{ Key: "CredentialHolderName" }])).toBe(true);
    expect(matchesAll(accessGranted, [{ Key: "State" }])).toBe(false);
  });

  it("reads times as UTC and writes whole seconds", () => {
    expect(timeOf({ UtcTime: "2012-11-27T14:00:00" })).toBe(Date.UTC(2012, 10, 27, 14));
    expect(timeOf({ UtcTime: "2013-10-28T09:13:23Z" })).toBe(Date.UTC(2013, 9, 28, 9, 13, 23));
    expect(formatUtc(Date.UTC(2013, 9, 28, 9, 13, 23, 999))).toBe("2013-10-28T09:13:23Z");
  });

  it("reads a listed filter's pairs, an empty Value as none", () => {
    const listed = { token: "mytoken", KeyValues: [{ Key: "a", Value: "1" }, { Key: "b", Value: "" }], UUIDs: ["abc"] };
    expect(filterPairs(listed)).toEqual([{ Key: "a", Value: "1" }, { Key: "b" }]);
  });
});
