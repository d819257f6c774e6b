/** Identity and discovery checks (service "Device"): the ONVIF device service and the VAPIX identity CGIs. */
import type { CheckDefinition } from "../../harness/types.js";
import { identityCheckList } from "./checks.js";
import { nonceReplayRefused } from "./ws-security.js";

export const identityChecks: readonly CheckDefinition[] = [...identityCheckList(), nonceReplayRefused];
