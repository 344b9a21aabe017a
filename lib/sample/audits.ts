/** The sample tenant's directory audit log (Graph directoryAudit records): background admin work plus
 * the audit side of the planted stories (password rotation, departure, new hire, attacker persistence). */

import type { Ctx } from "./background.ts";
import { OFFICES } from "./catalog.ts";
import { resolveOptions } from "./options.ts";
import { planted } from "./patterns.ts";
import { makePlan } from "./plan.ts";
import { hashString, Rng } from "./prng.ts";
import { buildTenant, ROLES, type User } from "./tenant.ts";
import { DAY, graphTimestamp, isWeekend, localToUtc, parseInstant } from "./time.ts";
import type {
  AuditApp,
  AuditUser,
  DirectoryAudit,
  ModifiedProperty,
  SampleOptions,
  TargetResource,
} from "./types.ts";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

interface Draft {
  sec: number;
  service: "Core Directory" | "Self-service Password Management" | "Authentication Methods";
  category: string;
  activity: string;
  operationType: string;
  by: { user: User; ip: string } | { app: AuditApp };
  targets: TargetResource[];
  details?: { key: string; value: string }[];
  result?: "success" | "failure";
  resultReason?: string;
  userAgent?: string | null;
  /** Range of the timestamp's fraction (100 ns ticks), to order two audits logged in the same second. */
  ticksIn?: [number, number];
}

const DEVICE_REGISTRATION: AuditApp = {
  appId: "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9",
  displayName: "Device Registration Service",
  servicePrincipalId: "5f2a7c1e-8b3d-4e6f-9a0b-1c2d3e4f5a6b",
  servicePrincipalName: null,
};

function userTarget(u: User, modified: ModifiedProperty[] = []): TargetResource {
  return {
    id: u.id,
    displayName: null,
    type: "User",
    userPrincipalName: u.upn,
    groupType: null,
    modifiedProperties: modified,
  };
}

function auditUser(u: User, ip: string): AuditUser {
  return {
    id: u.id,
    displayName: null,
    userPrincipalName: u.upn,
    ipAddress: ip,
    userType: null,
    homeTenantId: null,
    homeTenantName: null,
  };
}

const PREFIX: Record<Draft["service"], string> = {
  "Core Directory": "Directory",
  "Self-service Password Management": "SSPR",
  "Authentication Methods": "UserManagement",
};

function finish(d: Draft, rng: Rng): DirectoryAudit {
  const correlationId = rng.guid();
  let tag = "";
  for (let i = 0; i < 5; i++) tag += ALNUM[rng.int(0, ALNUM.length - 1)];
  return {
    id: `${PREFIX[d.service]}_${correlationId}_${tag}_${rng.int(10_000_000, 99_999_999)}`,
    category: d.category,
    correlationId,
    result: d.result ?? "success",
    resultReason: d.resultReason ?? "",
    activityDisplayName: d.activity,
    activityDateTime: graphTimestamp(d.sec, rng.int(...(d.ticksIn ?? [0, 9_999_999]))),
    loggedByService: d.service,
    operationType: d.operationType,
    userAgent: d.userAgent ?? null,
    initiatedBy: "app" in d.by
      ? { app: d.by.app, user: null }
      : { app: null, user: auditUser(d.by.user, d.by.ip) },
    targetResources: d.targets,
    additionalDetails: d.details ?? [],
  };
}

/**
 * Directory audit records of the sample tenant, newest first.
 *
 * @example
 * ```ts
 * const audits = generateDirectoryAudits({ seed: 1 });
 * audits.filter((a) => a.activityDisplayName === "Disable account");
 * ```
 */
export function generateDirectoryAudits(opts: SampleOptions = {}): DirectoryAudit[] {
  const o = resolveOptions(opts);
  const ctx: Ctx = { tenant: buildTenant(o), plan: makePlan(o) };
  const { plan, tenant } = ctx;
  const facts = planted(ctx, o.seed).facts;
  const users = tenant.users;
  const admin = users[ROLES.admin];
  const adminIp = OFFICES.chicago.ips[0];
  const drafts: Draft[] = [];
  const at = (iso: string) => parseInstant(iso);

  // Background: devices checking in, group changes by the admin.
  for (let day = plan.startDay; day < plan.endDay; day++) {
    const rng = new Rng(o.seed, hashString("audit-day"), day);
    if (isWeekend(day)) continue;
    const devices = rng.int(1, 4);
    for (let k = 0; k < devices; k++) {
      const u = rng.pick(users);
      if (u.laptop.deviceId === "") continue;
      drafts.push({
        sec: day * DAY + rng.int(6 * 3600, 22 * 3600),
        service: "Core Directory",
        category: "Device",
        activity: "Update device",
        operationType: "Update",
        by: { app: DEVICE_REGISTRATION },
        targets: [{
          id: u.laptop.deviceId,
          displayName: u.laptop.displayName,
          type: "Device",
          userPrincipalName: null,
          groupType: null,
          modifiedProperties: [{
            displayName: "ApproximateLastSignInDateTime",
            oldValue: null,
            newValue: JSON.stringify([graphTimestamp(day * DAY - DAY, null)]),
          }],
        }],
      });
    }
    if (rng.chance(0.3)) {
      const u = rng.pick(users);
      drafts.push({
        sec: localToUtc(admin.home.zone, day, rng.range(9, 17)),
        service: "Core Directory",
        category: "GroupManagement",
        activity: "Add member to group",
        operationType: "Assign",
        by: { user: admin, ip: adminIp },
        targets: [userTarget(u), {
          id: new Rng(hashString("group")).guid(),
          displayName: "All Staff",
          type: "Group",
          userPrincipalName: null,
          groupType: "unifiedGroups",
          modifiedProperties: [],
        }],
      });
    }
  }

  // Failure spike: everyone changes the expired password on the Monday.
  const spikeSet = new Set(facts.failureSpike.userPrincipalNames);
  for (const u of users) {
    if (!spikeSet.has(u.upn)) continue;
    const rng = new Rng(o.seed, hashString("audit-spike"), u.index);
    drafts.push({
      sec: localToUtc(u.home.zone, plan.spikeDay, u.startHour + rng.range(0.2, 0.6)),
      service: "Self-service Password Management",
      category: "UserManagement",
      activity: "Change password (self-service)",
      operationType: "Update",
      by: { user: u, ip: u.homeIp },
      targets: [userTarget(u)],
      details: [{ key: "TenantId", value: "" }],
    });
  }

  // Departure: the admin disables the account.
  const departed = users[ROLES.departed];
  drafts.push({
    sec: plan.disableSec,
    service: "Core Directory",
    category: "UserManagement",
    activity: "Disable account",
    operationType: "Update",
    by: { user: admin, ip: adminIp },
    targets: [
      userTarget(departed, [{ displayName: "AccountEnabled", oldValue: "[true]", newValue: "[false]" }]),
    ],
    details: [{ key: "UserType", value: "Member" }],
  });

  // New hire: created three days ahead, registers MFA on the first morning.
  const hire = users[ROLES.newHire];
  drafts.push({
    sec: localToUtc(admin.home.zone, plan.hireDay - 3, 10.25),
    service: "Core Directory",
    category: "UserManagement",
    activity: "Add user",
    operationType: "Add",
    by: { user: admin, ip: adminIp },
    targets: [userTarget(hire, [
      { displayName: "AccountEnabled", oldValue: "[]", newValue: "[true]" },
      { displayName: "UserPrincipalName", oldValue: "[]", newValue: JSON.stringify([hire.upn]) },
    ])],
  });
  drafts.push({
    sec: localToUtc(hire.home.zone, plan.hireDay, hire.startHour + 0.15),
    service: "Authentication Methods",
    category: "UserManagement",
    activity: "User registered security info",
    operationType: "Add",
    by: { user: hire, ip: hire.homeIp },
    targets: [userTarget(hire)],
    details: [{ key: "Method", value: "Authenticator App" }],
    resultReason: "User registered Authenticator App with Notification and Code",
  });

  // Attacker persistence after the MFA fatigue approval: a new authenticator from the attacker's address.
  const fatigue = users[ROLES.mfaFatigue];
  drafts.push({
    sec: at(facts.mfaFatigue.approvedAt) + 12 * 60 + 40,
    service: "Authentication Methods",
    category: "UserManagement",
    activity: "User registered security info",
    operationType: "Add",
    by: { user: fatigue, ip: facts.mfaFatigue.ipAddress },
    targets: [userTarget(fatigue)],
    details: [{ key: "Method", value: "Authenticator App" }],
    resultReason: "User registered Authenticator App with Notification and Code",
  });

  // After the impossible-travel session theft: consent to a mail-reading app.
  const traveler = users[ROLES.impossibleTravel];
  drafts.push({
    sec: at(facts.impossibleTravel.second.createdDateTime) + 21 * 60 + 5,
    service: "Core Directory",
    category: "ApplicationManagement",
    activity: "Consent to application",
    operationType: "Assign",
    by: { user: traveler, ip: facts.impossibleTravel.second.ipAddress },
    targets: [{
      id: "c0ffee00-1234-4a5b-8c9d-0e1f2a3b4c5d",
      displayName: "Mail Sync Pro",
      type: "ServicePrincipal",
      userPrincipalName: null,
      groupType: null,
      modifiedProperties: [
        { displayName: "ConsentContext.IsAdminConsent", oldValue: null, newValue: '"False"' },
        {
          displayName: "ConsentAction.Permissions",
          oldValue: null,
          newValue: '"Scope: Mail.Read offline_access"',
        },
      ],
    }],
    details: [{ key: "User-Agent", value: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" }],
  });

  // The three compromise chains' persistence, and the look-alike's password change.
  const byUpn = new Map(users.map((x) => [x.upn, x]));
  const { sprayWorked, sessionReplay, deviceCode } = facts.compromises;
  const swVictim = byUpn.get(sprayWorked.userPrincipalName)!;
  const [swMfa, swConsent] = sprayWorked.audits;
  drafts.push({
    sec: at(swMfa.activityDateTime),
    service: "Authentication Methods",
    category: "UserManagement",
    activity: swMfa.activityDisplayName,
    operationType: "Add",
    by: { user: swVictim, ip: swMfa.ipAddress! },
    targets: [userTarget(swVictim)],
    details: [{ key: "Method", value: "Authenticator App" }],
    resultReason: "User registered Authenticator App with Notification and Code",
  });
  drafts.push({
    sec: at(swConsent.activityDateTime),
    service: "Core Directory",
    category: "ApplicationManagement",
    activity: swConsent.activityDisplayName,
    operationType: "Assign",
    by: { user: swVictim, ip: swConsent.ipAddress! },
    targets: [{
      id: "5ec0bd1e-7a2f-4c3b-9d8e-6f1a2b3c4d5e",
      displayName: "Secure PDF Viewer",
      type: "ServicePrincipal",
      userPrincipalName: null,
      groupType: null,
      modifiedProperties: [
        { displayName: "ConsentContext.IsAdminConsent", oldValue: null, newValue: '"False"' },
        { displayName: "ConsentContext.OnBehalfOfAll", oldValue: null, newValue: '"False"' },
        {
          displayName: "ConsentAction.Permissions",
          oldValue: null,
          newValue: '"Scope: Mail.ReadWrite Files.ReadWrite.All offline_access User.Read"',
        },
      ],
    }],
    details: [{ key: "User-Agent", value: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0)" }],
  });
  const srVictim = byUpn.get(sessionReplay.userPrincipalName)!;
  const [srMfa] = sessionReplay.audits;
  drafts.push({
    sec: at(srMfa.activityDateTime),
    service: "Authentication Methods",
    category: "UserManagement",
    activity: srMfa.activityDisplayName,
    operationType: "Add",
    by: { user: srVictim, ip: srMfa.ipAddress! },
    targets: [userTarget(srVictim)],
    details: [{ key: "Method", value: "Mobile Phone" }],
    resultReason: "User registered Mobile Phone SMS",
  });
  // Device registration is initiated by the service; the device and its new owner are the targets.
  const dcVictim = byUpn.get(deviceCode.userPrincipalName)!;
  const deviceTarget = (modified: ModifiedProperty[]): TargetResource => ({
    id: deviceCode.device.deviceId,
    displayName: deviceCode.device.displayName,
    type: "Device",
    userPrincipalName: null,
    groupType: null,
    modifiedProperties: modified,
  });
  drafts.push({
    sec: at(deviceCode.device.registeredAt),
    service: "Core Directory",
    category: "Device",
    activity: "Register device",
    operationType: "Add",
    ticksIn: [0, 4_999_999],
    by: { app: DEVICE_REGISTRATION },
    targets: [
      deviceTarget([
        {
          displayName: "CloudDisplayName",
          oldValue: null,
          newValue: JSON.stringify([deviceCode.device.displayName]),
        },
        { displayName: "CloudDeviceOSType", oldValue: null, newValue: '["Windows"]' },
        { displayName: "CloudDeviceTrustType", oldValue: null, newValue: '["Workplace"]' },
      ]),
      userTarget(dcVictim),
    ],
    details: [
      { key: "Device Id", value: deviceCode.device.deviceId },
      { key: "Device OS", value: "Windows" },
      { key: "Device Trust Type", value: "Workplace" },
    ],
  });
  drafts.push({
    sec: at(deviceCode.device.registeredAt),
    // In the second half of the registration's second: Entra logs the owner after the device, and at an equal
    // time their order would fall to the draw.
    ticksIn: [5_000_000, 9_999_999],
    service: "Core Directory",
    category: "Device",
    activity: "Add registered owner to device",
    operationType: "Assign",
    by: { app: DEVICE_REGISTRATION },
    targets: [deviceTarget([]), userTarget(dcVictim)],
  });
  const typist = byUpn.get(facts.lookAlikes.newPasswordTypos.userPrincipalName)!;
  drafts.push({
    sec: at(facts.lookAlikes.newPasswordTypos.passwordChangedAt),
    service: "Self-service Password Management",
    category: "UserManagement",
    activity: "Change password (self-service)",
    operationType: "Update",
    by: { user: typist, ip: typist.homeIp },
    targets: [userTarget(typist)],
    details: [{ key: "TenantId", value: "" }],
  });

  // The admin resets the brute-forced account the next morning.
  const bruteVictim = users[ROLES.bruteForce];
  const resetDay = Math.min(plan.bruteForceDay + 1, plan.endDay - 1);
  drafts.push({
    sec: Math.max(at(facts.bruteForce.last) + 600, localToUtc(admin.home.zone, resetDay, 9.1)),
    service: "Core Directory",
    category: "UserManagement",
    activity: "Reset user password",
    operationType: "Update",
    by: { user: admin, ip: adminIp },
    targets: [userTarget(bruteVictim)],
  });

  const rng = new Rng(o.seed, hashString("audit-ids"));
  const startSec = plan.startDay * DAY;
  const endSec = plan.endDay * DAY;
  return drafts
    .filter((d) => d.sec >= startSec && d.sec < endSec)
    .sort((a, b) => b.sec - a.sec)
    .map((d) => finish(d, rng))
    .sort((
      a,
      b,
    ) => (a.activityDateTime < b.activityDateTime ? 1 : a.activityDateTime > b.activityDateTime ? -1 : 0));
}
