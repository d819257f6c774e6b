/** The event logger's checks (EventLogger and EventLoggerConfig, event-logger-service.md). */
import type { CheckDefinition } from "../../harness/types.js";
import { configChecks } from "./config.js";
import { fetchChecks } from "./fetch.js";
import { filterChecks } from "./filters.js";

export const eventLoggerChecks: readonly CheckDefinition[] = [...fetchChecks(), ...filterChecks(), ...configChecks()];
