/** Feature discovery's consistency checks: advertised against actual. */
export { discoveryChecks } from "./checks.js";
