/** The connection service and door controller network checks (service "Connection"). */
import type { CheckDefinition } from "../../harness/types.js";
import { connectionCheckList } from "./checks.js";

export const connectionChecks: readonly CheckDefinition[] = connectionCheckList();
