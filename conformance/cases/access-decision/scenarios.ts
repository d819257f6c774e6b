/**
 * The access-decision scenarios: each builds its own site, optionally checks that the site grants
 * before one thing is changed (so a denial can only come from that change), then decides through
 * the API and at the reader and expects a grant or the documented denial reason.
 */
import type { CheckContext, CheckDefinition } from "../../harness/types.js";
import { docSections } from "../../harness/entity.js";
import { setItems } from "../../harness/items.js";
import { DOC, SERVICE, credential } from "../access-control/entities.js";
import { BOTH, lastExchange } from "../generic/support.js";
import { describePresentation, judgeApi, judgePhysical, request, stimulate, type Expected, type Presentation } from "./judge.js";
import { buildSite, type Site, type SiteOptions } from "./site.js";

const ref = docSections(DOC);
const SEND = [ref("send-access-request"), ref("verifyrequest-command"), ref("requestaccess-command")];

const GRANTED: Expected = { granted: true, reason: "Granted" };
const denied = (reason: string): Expected => ({ granted: false, reason });
const CARD: Presentation = { card: true };

interface Scenario {
  /** Check id suffix: `pacsaxis.access-decision.<key>`. */
  readonly key: string;
  readonly title: string;
  readonly rule: string;
  readonly specRefs: readonly string[];
  readonly quirk: string;
  readonly site?: SiteOptions;
  /** Decided (VerifyRequest) before the change: the site as built grants this. */
  readonly before?: { readonly present: Presentation; readonly expect: Expected };
  /** The one change that should decide the outcome. */
  readonly change?: { readonly what: string; readonly apply: (ctx: CheckContext, site: Site) => Promise<void> };
  readonly present: Presentation;
  readonly expect: Expected;
  /** At the reader too (default true). */
  readonly physical?: boolean;
  /** Further steps at the reader after the judged ones. */
  readonly more?: (ctx: CheckContext, site: Site) => Promise<void>;
}

async function setAccessProfile(ctx: CheckContext, site: Site, change: Record<string, unknown>): Promise<void> {
  await ctx.call("pacsaxis:SetAccessProfile", { AccessProfile: [{ ...site.items.accessProfile, ...change }] });
}

async function setCredential(ctx: CheckContext, site: Site, change: Record<string, unknown>): Promise<void> {
  await setItems(ctx, credential, [{ ...site.items.credential, ...change }]);
}

/** Anti-passback the physical way: a passage (granted, door opened and closed) puts the credential inside; the next entry is refused. */
async function passThenReenter(ctx: CheckContext, site: Site): Promise<void> {
  await ctx.call("pacsaxis:ResetAntipassbackViolation", { CredentialToken: site.credential });
  await ctx.call("pacsaxis:SetAntipassbackData", { AntipassbackData: [{ CredentialToken: site.credential, PassOkThreshold: 0, CurrentArea: "", ByTime: false, Violation: "" }] });
  const first = await stimulate(ctx, [{ Stimulus: "PresentCard", IdPoint: site.idPoint, Card: site.card }]);
  if (first === undefined) return;
  if (first[0]?.["granted"] === false) ctx.fail(`with the credential outside the area again, the card at the reader was denied (${String(first[0]["reason"])}); expected a grant`);
  if ((await stimulate(ctx, [{ Stimulus: "OpenDoor", Door: site.door }, { Stimulus: "CloseDoor", Door: site.door }])) === undefined) return;
  const again = (await stimulate(ctx, [{ Stimulus: "PresentCard", IdPoint: site.idPoint, Card: site.card }]))?.[0];
  if (again?.["granted"] === true) ctx.fail("the card passed the door (granted, door opened and closed) and was granted again at the same reader; hard logical anti-passback refuses re-entering an area without leaving it");
}

const SCENARIOS: readonly Scenario[] = [
  {
    key: "card-in-schedule",
    title: "A valid card within its schedules is granted, and the door is accessed then relocks",
    rule: "A valid, enabled credential whose access profile and access policy schedules are active is granted (Reason Granted) by VerifyRequest, RequestAccess and at the reader; a grant accesses the access point's door, which relocks after AccessTime.",
    specRefs: [...SEND, ref("setting-the-access-profile"), ref("specify-time-dependent-access-behavior"), "door-control-service.md#unlock-the-door", "system-integration-examples.md#access-to-a-door-using-reader-card-and-pin-code", "ACCESSCONTROL-6-1-2"],
    quirk: "decision-door-not-accessed",
    present: CARD,
    expect: GRANTED,
  },
  {
    key: "verify-request-no-action",
    title: "VerifyRequest decides like RequestAccess without accessing the door",
    rule: "VerifyRequest reaches the same decision as RequestAccess but does not interact with doors: after a granted VerifyRequest the door is unchanged, after a granted RequestAccess it is Accessed.",
    specRefs: SEND,
    quirk: "decision-verify-acts",
    present: CARD,
    expect: GRANTED,
    physical: false,
  },
  {
    key: "card-outside-schedule",
    title: "A valid card outside its access profile's schedule is denied",
    rule: "Access is granted only while a schedule of the access profile is active; outside it the request is denied (ONVIF reason NotPermittedAtThisTime) and nothing opens.",
    specRefs: [...SEND, ref("specify-time-dependent-access-behavior"), ref("access-profile"), "system-integration-examples.md#combining-schedules", "schedule-service.md#exception-schedules"],
    quirk: "decision-schedule-ignored",
    site: { inactiveSchedule: true },
    before: { present: CARD, expect: GRANTED },
    change: { what: "the access profile's schedule set to one that is not active", apply: (ctx, site) => setAccessProfile(ctx, site, { Schedule: [site.schedules.inactive] }) },
    present: CARD,
    expect: denied("NotPermittedAtThisTime"),
  },
  {
    key: "holiday-exception",
    title: "A holiday schedule in exception closes the access profile's other schedules",
    rule: "When any schedule of a list is in exception the list is inactive, even while another is active: an access profile with an always-active schedule and a holiday schedule (only an exception, holding now) denies (NotPermittedAtThisTime).",
    specRefs: [...SEND, "schedule-service.md#exception-schedules", ref("specify-time-dependent-access-behavior"), "system-integration-examples.md#combining-schedules"],
    quirk: "decision-schedule-ignored",
    site: { holidaySchedule: true },
    before: { present: CARD, expect: GRANTED },
    change: { what: "a holiday schedule (in exception now) added to the access profile's schedules", apply: (ctx, site) => setAccessProfile(ctx, site, { Schedule: [site.schedules.active, site.schedules.holiday!] }) },
    present: CARD,
    expect: denied("NotPermittedAtThisTime"),
  },
  {
    key: "profile-without-schedule",
    title: "An access profile without any schedule grants nothing",
    rule: "A schedule list is active only when at least one of its schedules is, so an access profile with an empty Schedule list gives no access (AXIS Entry Manager: it must contain at least one schedule).",
    specRefs: [...SEND, ref("specify-time-dependent-access-behavior"), "system-integration-examples.md#groups", "system-integration-examples.md#access-to-a-door-using-reader-card-and-pin-code"],
    quirk: "decision-schedule-ignored",
    before: { present: CARD, expect: GRANTED },
    change: { what: "the access profile's Schedule list emptied", apply: (ctx, site) => setAccessProfile(ctx, site, { Schedule: [] }) },
    present: CARD,
    expect: denied("NotPermittedAtThisTime"),
  },
  {
    key: "disabled-credential",
    title: "A disabled credential is denied with CredentialNotEnabled",
    rule: "A request with a disabled credential is denied with Reason CredentialNotEnabled and nothing opens.",
    specRefs: [...SEND, ref("disable-a-credential"), ref("disablecredential-command"), "ACCESSCONTROL-9-1-2"],
    quirk: "decision-disabled-credential-granted",
    before: { present: CARD, expect: GRANTED },
    change: { what: "DisableCredential", apply: async (ctx, site) => void (await ctx.call("pacsaxis:DisableCredential", { Token: site.credential, Status: "Disabled" })) },
    present: CARD,
    expect: denied("CredentialNotEnabled"),
  },
  {
    key: "expired-credential",
    title: "A credential after its ValidTo is denied with CredentialExpired",
    rule: "Outside the credential's ValidFrom/ValidTo time frame a request is denied; after ValidTo the Reason is CredentialExpired.",
    specRefs: [...SEND, ref("allow-access-within-a-specified-time-frame"), ref("credential")],
    quirk: "decision-validity-ignored",
    before: { present: CARD, expect: GRANTED },
    change: { what: "the credential's validity ended in 2000", apply: (ctx, site) => setCredential(ctx, site, { ValidFrom: "1999-01-01T00:00:00Z", ValidTo: "2000-01-01T00:00:00Z" }) },
    present: CARD,
    expect: denied("CredentialExpired"),
  },
  {
    key: "credential-not-yet-valid",
    title: "A credential before its ValidFrom is denied with CredentialNotActive",
    rule: "Outside the credential's ValidFrom/ValidTo time frame a request is denied; before ValidFrom the Reason is CredentialNotActive.",
    specRefs: [...SEND, ref("allow-access-within-a-specified-time-frame"), ref("credential")],
    quirk: "decision-validity-ignored",
    before: { present: CARD, expect: GRANTED },
    change: { what: "the credential valid only from 2099", apply: (ctx, site) => setCredential(ctx, site, { ValidFrom: "2099-01-01T00:00:00Z", ValidTo: "2100-01-01T00:00:00Z" }) },
    present: CARD,
    expect: denied("CredentialNotActive"),
  },
  {
    key: "disabled-access-profile",
    title: "A disabled access profile gives no access (InvalidAccessProfile)",
    rule: "A request through a disabled access profile is denied with Reason InvalidAccessProfile.",
    specRefs: [...SEND, ref("disable-an-access-profile"), ref("accessprofile")],
    quirk: "decision-access-profile-state-ignored",
    before: { present: CARD, expect: GRANTED },
    change: { what: "the access profile set with Enabled false", apply: (ctx, site) => setAccessProfile(ctx, site, { Enabled: false }) },
    present: CARD,
    expect: denied("InvalidAccessProfile"),
  },
  {
    key: "wrong-pin",
    title: "Card + PIN with a wrong PIN is denied with InvalidCredential",
    rule: "Where CardPlusPin applies, the PIN must be the credential's: a wrong PIN is denied with Reason InvalidCredential, and the card alone opens nothing.",
    specRefs: [...SEND, ref("retrieve-default-configuration"), ref("idfactor-data-structure"), "ACCESSCONTROL-9-1-2"],
    quirk: "decision-wrong-pin-accepted",
    site: { authentication: ["CardPlusPin"] },
    before: { present: { card: true, pin: "right" }, expect: GRANTED },
    present: { card: true, pin: "wrong" },
    expect: denied("InvalidCredential"),
  },
  {
    key: "antipassback-violation",
    title: "Hard logical anti-passback refuses entering an area the credential is already in",
    rule: "At an access point with AntiPassbackMode Logical (enforcement Hard) a credential already in AreaTo is denied with Reason AntiPassbackViolation; a passage through the door puts it there.",
    specRefs: [...SEND, ref("enable-anti-passback"), ref("configure-anti-passback"), ref("list-and-set-anti-passback"), ref("anti-passback-notifications")],
    quirk: "decision-antipassback-not-enforced",
    site: { antipassback: true },
    before: { present: CARD, expect: GRANTED },
    change: {
      what: "SetAntipassbackData placing the credential in the access point's AreaTo",
      apply: async (ctx, site) => void (await ctx.call("pacsaxis:SetAntipassbackData", { AntipassbackData: [{ CredentialToken: site.credential, PassOkThreshold: 0, CurrentArea: site.areaTo, ByTime: false, Violation: "" }] })),
    },
    present: CARD,
    expect: denied("AntiPassbackViolation"),
    more: passThenReenter,
  },
  {
    key: "duress-pin",
    title: "Card + duress PIN is granted and signalled as duress",
    rule: "With duress allowed at the access point and by one of the credential's access profiles, the card with the credential's duress PIN is granted (the door opens) and a tns1:AccessControl/Duress event is sent.",
    specRefs: [...SEND, ref("enable-duress-access"), "ACCESSCONTROL-10-1-2"],
    quirk: "decision-duress-refused",
    site: { authentication: ["CardPlusPin", "CardPlusDuressPIN"], duress: true },
    before: { present: { card: true, pin: "right" }, expect: GRANTED },
    present: { card: true, pin: "duress" },
    expect: { granted: true, reason: "Granted", duress: true },
  },
  {
    key: "rex",
    title: "A REX press is granted anonymously where REXOnly applies",
    rule: "A REX request (IdData REX = Active) at an access point with the REXOnly authentication profile is granted without a credential, and the door is accessed.",
    specRefs: [...SEND, ref("retrieve-default-configuration"), "system-integration-examples.md#access-to-a-door-using-rex-button", "ACCESSCONTROL-6-1-1"],
    quirk: "decision-rex-refused",
    site: { authentication: ["CardOnly", "REXOnly"] },
    present: { rex: true },
    expect: GRANTED,
  },
  {
    key: "disabled-access-point",
    title: "A disabled access point denies with Unauthorized",
    rule: "A request at a disabled access point is denied with Reason Unauthorized and nothing opens.",
    specRefs: [...SEND, ref("disable-an-access-point"), ref("disableaccesspoint-command"), "ACCESSCONTROL-9-1-2"],
    quirk: "decision-disabled-access-point-grants",
    before: { present: CARD, expect: GRANTED },
    change: { what: "DisableAccessPoint", apply: async (ctx, site) => void (await ctx.call("tac:DisableAccessPoint", { Token: site.accessPoint })) },
    present: CARD,
    expect: denied("Unauthorized"),
  },
  {
    key: "credential-override",
    title: "The credential's authentication profile overrides the access point's",
    rule: "Authentication profiles on the credential take precedence over the access profile's and the access point's: a credential with CardOnly needs no PIN at a CardPlusPin access point.",
    specRefs: [...SEND, ref("override-the-authentication-of-an-access-point"), ref("authenticationprofile-data-structure")],
    quirk: "decision-profile-override-ignored",
    site: { authentication: ["CardPlusPin"], credentialAuthentication: ["CardOnly"] },
    present: CARD,
    expect: GRANTED,
  },
];

function check(s: Scenario): CheckDefinition {
  return {
    id: `pacsaxis.access-decision.${s.key}`,
    title: s.title,
    service: SERVICE,
    rule: s.rule,
    specRefs: s.specRefs,
    quirk: s.quirk,
    notes:
      "Builds its own site (schedules, door, IdPoint, access point, access controller, access profile, credential) and removes it. The right verdict with another Reason than the documented one is a warning. " +
      "The reader half needs the back door (it presents at the run's own IdPoint); the door half reads GetDoorState and lets AccessTime pass.",
    transports: BOTH,
    run: async (ctx) => {
      const site = await buildSite(ctx, s.site);
      if (s.before !== undefined) {
        const got = await request(ctx, "pacsaxis:VerifyRequest", site, s.before.present);
        if (got.granted !== s.before.expect.granted) {
          ctx.fail(`set-up: before ${s.change?.what ?? "the judged request"}, VerifyRequest with ${describePresentation(s.before.present)} answered AccessGranted=${String(got.granted)} (Reason "${got.reason}"); the site as built must grant it`, lastExchange(ctx));
        }
      }
      await s.change?.apply(ctx, site);
      await judgeApi(ctx, site, s.present, s.expect);
      if (s.physical !== false) await judgePhysical(ctx, site, s.present, s.expect);
      await s.more?.(ctx, site);
    },
  };
}

export function accessDecisionScenarioChecks(): CheckDefinition[] {
  return SCENARIOS.map(check);
}
