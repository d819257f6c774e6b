/**
 * The services of the reference door controller, in the order their defaults are installed
 * (a later service may refer to an earlier one's items), and what follows from the list:
 * every entity type, operation and quirk.
 */
import { accessControlService } from "./access-control/index.js";
import { connectionService } from "./connection/index.js";
import { doorControlService } from "./door-control/index.js";
import { eventLoggerService } from "./event-logger/index.js";
import { eventService } from "./events/index.js";
import { identityService } from "./identity/index.js";
import { idpointService } from "./idpoint/index.js";
import { ioAssignmentService } from "./io-assignment/index.js";
import { keystoreService } from "./keystore/index.js";
import { peripheralsService } from "./peripherals/index.js";
import { scheduleService } from "./schedule/index.js";
import { systemService } from "./system/index.js";
import { thirdPartyCredentialService } from "./third-party-credential/index.js";
import { userService } from "./user/index.js";
import type { EntityDecl } from "./entity.js";
import type { OperationDef } from "./operation.js";
import { GENERIC_QUIRKS, type QuirkInfo } from "./quirks.js";
import type { DeviceService } from "./service.js";

/**
 * Schedules first (everything may refer to them), then users, I/O, doors, IdPoints, and
 * AccessControl last: its access points tie IdPoints to doors.
 */
export const SERVICES: readonly DeviceService[] = [scheduleService, userService, ioAssignmentService, doorControlService, idpointService, accessControlService, thirdPartyCredentialService, keystoreService, peripheralsService, eventLoggerService, systemService, eventService, identityService, connectionService];

export function allEntities(): EntityDecl[] {
  return SERVICES.flatMap((s) => s.entities);
}

export function allOperations(): OperationDef[] {
  return SERVICES.flatMap((s) => s.operations());
}

/** Every quirk the device knows: the shared layers' then each service's. */
export const ALL_QUIRKS: readonly QuirkInfo[] = [...GENERIC_QUIRKS, ...SERVICES.flatMap((s) => s.quirks)];
