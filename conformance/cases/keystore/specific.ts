/**
 * The keystore's own rules (keystore-service.md): key values never shown, the refused key values,
 * the device-set ModificationTime, GetEncryptionKey's NotFound fault, removal as its Get sees it,
 * and schema conformance of the EncryptionKey responses.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { docRef, itemsOf, tokenOf } from "../../harness/entity.js";
import { NOT_FOUND, excerptJson, expectFault, faultOf, matchesFault, type ExpectedFault } from "../../harness/faults.js";
import { createOne, registerCreated, requireOps, sampleFor } from "../../harness/items.js";
import { BOTH, expectSchemaConformance, lastExchange, listItems } from "../generic/support.js";
import { unknownTokenCheck } from "../generic/unknown-token.js";
import { KEYSTORE_DOC, encryptionKey, keystoreSection } from "./entities.js";

const SERVICE = "Keystore";
const SET = "axkey:SetEncryptionKey";
const GET = "axkey:GetEncryptionKey";
const LIST = "axkey:GetEncryptionKeyList";
const REMOVE = "axkey:RemoveEncryptionKey";
const ITEM = "EncryptionKey";

const GUIDE = keystoreSection("keystore-service-guide");
const STRUCTURE = keystoreSection("encryption-key-configuration");

/** SetEncryptionKey's fault table: env:Sender/ter:InvalidArgs, "Invalid key value". */
const INVALID_ARGS: ExpectedFault = { code: "env:Sender", subcodes: ["ter:InvalidArgs"] };
/** The guide: "The key value is shown as "*****"". */
const HIDDEN = "*****";
/** OSDP's well-known default secure channel base key SCBK-D, bytes 0x30 … 0x3F. */
const SCBK_D = "303132333435363738393A3B3C3D3E3F";
/** "the value 0x00 0x00 .. 0x00 (16 byte)". */
const ZERO_KEY = "00".repeat(16);
/** A ModificationTime no device clock shows today. */
const CLIENT_TIME = "2001-02-03T04:05:06Z";

/** A 16-byte key of this run's seed as 32 hex digits; the first byte is never 0x00 or 0x30, so it is never refused. */
function distinctKey(ctx: CheckContext): string {
  const bytes = [ctx.rng.int(0x40, 0xff), ...Array.from({ length: 15 }, () => ctx.rng.int(0, 0xff))];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The key GetEncryptionKey returns for `token`; undefined when it answers NotFound or without it. */
async function storedKey(ctx: CheckContext, token: string): Promise<Record<string, unknown> | undefined> {
  try {
    return itemsOf(await ctx.call(GET, { Token: [token] }), ITEM).find((i) => tokenOf(encryptionKey, i) === token);
  } catch (err) {
    const f = faultOf(err);
    if (f !== undefined && matchesFault(f, NOT_FOUND)) return undefined;
    throw err;
  }
}

/** A key created by this run with a value of its own (registered for removal). */
async function keyWithValue(ctx: CheckContext, n: number): Promise<{ token: string; value: string }> {
  const value = distinctKey(ctx);
  const token = await createOne(ctx, encryptionKey, { ...sampleFor(ctx, encryptionKey, ctx.newToken("key"), n), Key: value });
  return { token, value };
}

/** Whether a returned Key shows the value (hex digits compared without case or white space). */
function reveals(shown: unknown, value: string): boolean {
  const canonical = (s: string): string => s.replace(/\s+/g, "").toLowerCase();
  return typeof shown === "string" && canonical(shown).includes(canonical(value));
}

function keyHiddenCheck(op: string, id: string, quirk: string, documented: string, shownAs: readonly string[]): CheckDefinition {
  const viaList = op === LIST;
  return {
    id,
    title: `${op.slice(op.indexOf(":") + 1)} never returns a key value in plain text`,
    service: SERVICE,
    rule: `The key value is never revealed: ${op} returns each EncryptionKey with its Key ${documented}, never the value that was set.`,
    specRefs: [GUIDE, STRUCTURE, docRef(encryptionKey, op)],
    quirk,
    notes: `A hidden Key other than ${shownAs.map((s) => JSON.stringify(s)).join(" or ")} is a warning.`,
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, SET, op);
      const { token, value } = await keyWithValue(ctx, viaList ? 21 : 20);
      const got = viaList
        ? (await listItems(ctx, LIST, ITEM, (i) => tokenOf(encryptionKey, i), 500)).find((i) => tokenOf(encryptionKey, i) === token)
        : await storedKey(ctx, token);
      if (got === undefined) return ctx.fail(`${op} does not return key "${token}", which was just set`, lastExchange(ctx));
      const shown = got["Key"];
      if (reveals(shown, value)) ctx.fail(`${op} returned key "${token}" with its value in plain text (${excerptJson(shown)}); ${documented}`, lastExchange(ctx));
      if (shown !== undefined && !shownAs.includes(String(shown))) {
        ctx.warn(`${op} shows the Key of "${token}" as ${excerptJson(shown)}; the documentation shows ${shownAs.map((s) => JSON.stringify(s)).join(" or ")}`, lastExchange(ctx));
      }
    },
  };
}

function refusedKeyCheck(id: string, value: string, what: string, quirk: string): CheckDefinition {
  return {
    id,
    title: `SetEncryptionKey refuses ${what}`,
    service: SERVICE,
    rule: `${what[0]!.toUpperCase()}${what.slice(1)} is not allowed in the keystore: SetEncryptionKey with it as Key returns env:Sender/ter:InvalidArgs ("Invalid key value") and stores no key.`,
    specRefs: [GUIDE, docRef(encryptionKey, SET)],
    quirk,
    notes: "Another fault than InvalidArgs is a warning.",
    transports: BOTH,
    run: async (ctx) => {
      requireOps(ctx, SET, GET);
      const token = ctx.newToken("refused");
      // Registered first: a device that accepts the key must not keep it after the run.
      registerCreated(ctx, encryptionKey, [token]);
      const item = { ...sampleFor(ctx, encryptionKey, token, 22), Key: value };
      await expectFault(ctx, SET, { [ITEM]: [item] }, INVALID_ARGS, `SetEncryptionKey with ${what} (${value}) as Key`);
      const stored = await storedKey(ctx, token);
      if (stored !== undefined) ctx.fail(`SetEncryptionKey refused ${what}, yet GetEncryptionKey returns key "${token}"`, lastExchange(ctx));
    },
  };
}

const modificationTime: CheckDefinition = {
  id: "axkey.encryption-key.modification-time",
  title: "ModificationTime is the device's, not the client's",
  service: SERVICE,
  rule: "ModificationTime cannot be set with SetEncryptionKey: the device sets it to the time of the call, so a ModificationTime the client sends is not what GetEncryptionKey returns.",
  specRefs: [GUIDE, STRUCTURE, docRef(encryptionKey, SET)],
  quirk: "keystore-modification-time-from-client",
  notes: "ModificationTime is optional: a device that returns none passes.",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, SET, GET);
    const token = await createOne(ctx, encryptionKey, { ...sampleFor(ctx, encryptionKey, ctx.newToken("mtime"), 23), ModificationTime: CLIENT_TIME });
    const got = await storedKey(ctx, token);
    if (got === undefined) return ctx.fail(`GetEncryptionKey does not return key "${token}", which was just set`, lastExchange(ctx));
    const shown = got["ModificationTime"];
    if (typeof shown === "string" && shown !== "" && Date.parse(shown) === Date.parse(CLIENT_TIME)) {
      ctx.fail(`key "${token}" was set with ModificationTime ${CLIENT_TIME} and GetEncryptionKey returns ${excerptJson(shown)}; the device must set it to the time of the call`, lastExchange(ctx));
    }
  },
};

/**
 * Replaces the generic remove check: GetEncryptionKey answers NotFound for a token it does not
 * hold (its fault table), where the generic check expects an empty answer.
 */
export const removeCheck: CheckDefinition = {
  id: "axkey.encryption-key.remove",
  title: "RemoveEncryptionKey deletes the key",
  service: SERVICE,
  rule: "After RemoveEncryptionKey the key is gone: GetEncryptionKey answers NotFound (or nothing) for its token and GetEncryptionKeyList no longer lists it.",
  specRefs: [docRef(encryptionKey, REMOVE), docRef(encryptionKey, GET), docRef(encryptionKey, LIST)],
  quirk: "remove-noop",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, SET, REMOVE, GET, LIST);
    const token = await createOne(ctx, encryptionKey, sampleFor(ctx, encryptionKey, ctx.newToken("rm"), 24));
    await ctx.call(REMOVE, { Token: [token] });
    if ((await storedKey(ctx, token)) !== undefined) ctx.fail(`RemoveEncryptionKey answered OK for "${token}" but GetEncryptionKey still returns the key`, lastExchange(ctx));
    const listed = (await listItems(ctx, LIST, ITEM, (i) => tokenOf(encryptionKey, i), 500)).some((i) => tokenOf(encryptionKey, i) === token);
    if (listed) ctx.fail(`RemoveEncryptionKey answered OK for "${token}" but GetEncryptionKeyList still lists it`, lastExchange(ctx));
  },
};

const schema: CheckDefinition = {
  id: "axkey.schema.encryption-key",
  title: "EncryptionKey responses conform to the schema",
  service: SERVICE,
  rule: "Responses of SetEncryptionKey, GetEncryptionKey and GetEncryptionKeyList conform to the schema (JSON Schema for JSON, wsdl/ XSD for SOAP): every EncryptionKey has its token and its (hidden) Key, types and facets respected.",
  specRefs: [STRUCTURE, docRef(encryptionKey, SET), docRef(encryptionKey, GET), docRef(encryptionKey, LIST)],
  quirk: "schema-invalid-response",
  transports: BOTH,
  run: async (ctx) => {
    requireOps(ctx, SET, GET, LIST);
    const token = await createOne(ctx, encryptionKey, sampleFor(ctx, encryptionKey, ctx.newToken("sch"), 25));
    const set = lastExchange(ctx);
    await expectSchemaConformance(
      ctx,
      [
        [GET, { Token: [token] }],
        [LIST, { Limit: 2 }],
      ],
      set === undefined ? [] : [[SET, set]],
    );
  },
};

export function keystoreSpecificChecks(): CheckDefinition[] {
  return [
    keyHiddenCheck(GET, "axkey.get-encryption-key.key-hidden", "keystore-get-reveals-key", 'shown as "*****"', [HIDDEN, ""]),
    keyHiddenCheck(LIST, "axkey.get-encryption-key-list.key-hidden", "keystore-list-reveals-key", "empty", ["", HIDDEN]),
    refusedKeyCheck("axkey.set-encryption-key.scbk-d-refused", SCBK_D, "the well-known key SCBK-D", "keystore-scbk-d-accepted"),
    refusedKeyCheck("axkey.set-encryption-key.zero-key-refused", ZERO_KEY, "the all-zero 16-byte key", "keystore-zero-key-accepted"),
    modificationTime,
    unknownTokenCheck(GET, { service: SERVICE, docPage: KEYSTORE_DOC, noun: "key", input: (token) => ({ Token: [token] }) }),
    schema,
  ];
}
