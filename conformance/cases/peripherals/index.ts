/**
 * The service discovery (axissd) and remote I/O (axrio) checks. No entity declaration: axrio has
 * no Get or List of added devices for the data snapshot, and the checks remove what they add
 * themselves (support.ts). The RemoteDevice/Connection/Status topic is caused by the event suite.
 */
import type { CheckDefinition } from "../../harness/types.js";
import { peripheralsSpecificChecks } from "./specific.js";

export const peripheralsChecks: readonly CheckDefinition[] = peripheralsSpecificChecks();
