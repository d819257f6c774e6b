/**
 * The ONVIF event service (service "Events", check ids `tev.…`, SOAP only): GetEventProperties
 * against the suite's catalogue of documented topics, one check per topic the suite can cause,
 * the pull point's life and the subscription filters. No entity types of its own.
 */
import type { CheckDefinition } from "../../harness/types.js";
import { catalogueChecks } from "./catalogue-checks.js";
import { filterChecks } from "./filters.js";
import { lifecycleChecks } from "./lifecycle.js";
import { topicChecks } from "./topic-checks.js";

export const eventChecks: readonly CheckDefinition[] = [...catalogueChecks(), ...lifecycleChecks(), ...filterChecks(), ...topicChecks()];
