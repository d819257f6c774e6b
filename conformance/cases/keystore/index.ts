/**
 * The Keystore service's checks. Not `declaredChecks`: GetEncryptionKey answers NotFound for an
 * unknown token (its fault table) and the page documents no MaxLimit for the keystore, so the
 * generic Get<X> checks (unknown tokens ignored, TooManyItems, empty Token list) do not apply, and
 * the generic remove check is replaced by one that reads NotFound as "gone". The set/get, token
 * and paging checks apply as they are.
 */
import type { CheckDefinition } from "../../harness/types.js";
import { setGetChecks } from "../generic/entity-checks.js";
import { pagingChecks, samplePagingSource } from "../generic/paging-checks.js";
import { encryptionKey, keystoreEntities } from "./entities.js";
import { keystoreSpecificChecks, removeCheck } from "./specific.js";

export const keystoreChecks: readonly CheckDefinition[] = [
  ...setGetChecks(encryptionKey).map((c) => (c.id === removeCheck.id ? removeCheck : c)),
  ...pagingChecks(samplePagingSource(encryptionKey), encryptionKey.full!),
  ...keystoreSpecificChecks(),
];

export { keystoreEntities };
