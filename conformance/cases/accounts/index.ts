/** Administrative account checks (service "Device"): pwdgrp.cgi and the ONVIF users, one set of accounts that logins honour at once. */
import type { CheckDefinition } from "../../harness/types.js";
import { accountCheckList } from "./checks.js";

export const accountChecks: readonly CheckDefinition[] = accountCheckList();
