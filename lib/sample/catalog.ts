import { INTERRUPT_CODES as INTERRUPT_LIST } from "../store/result_class.ts";
/**
 * Static reference data for the sample tenant: places, Microsoft first-party apps and resources,
 * Conditional Access policies, status texts and client fingerprints.
 *
 * App and resource ids are Microsoft's real, well-known first-party application ids so that queries
 * written against the sample keep working against a real tenant. IP addresses come from the
 * documentation ranges (RFC 5737 and RFC 3849), so the sample never points at a real party, except the
 * hosting and VPN addresses below: those are real, well-known provider address space (no single host meant),
 * so that an offline ASN dataset classifies them as it would in a real tenant.
 */

import type { Zone } from "./time.ts";

export const TENANT_DOMAIN = "contoso.example";
export const TENANT_NAME = "Contoso";
/** Fixed so that ids in the README stay valid for every seed. */
export const TENANT_ID = "6f1c4b2e-8d3a-4f5e-9b7c-2a1d0e3f4c5b";

export interface Place {
  key: string;
  city: string;
  state: string;
  /** ISO 3166 alpha-2, as Graph writes countryOrRegion. */
  country: string;
  latitude: number;
  longitude: number;
  zone: Zone;
}

const US_CENTRAL: Zone = { std: -6, dst: "us" };
const US_EASTERN: Zone = { std: -5, dst: "us" };
const US_MOUNTAIN: Zone = { std: -7, dst: "us" };
const US_PACIFIC: Zone = { std: -8, dst: "us" };
const UK: Zone = { std: 0, dst: "eu" };
const CET: Zone = { std: 1, dst: "eu" };
const EET: Zone = { std: 2, dst: "eu" };

function place(
  key: string,
  city: string,
  state: string,
  country: string,
  latitude: number,
  longitude: number,
  zone: Zone,
): Place {
  return { key, city, state, country, latitude, longitude, zone };
}

export const PLACES: Record<string, Place> = {
  chicago: place("chicago", "Chicago", "Illinois", "US", 41.8781, -87.6298, US_CENTRAL),
  seattle: place("seattle", "Seattle", "Washington", "US", 47.6062, -122.3321, US_PACIFIC),
  london: place("london", "London", "England", "GB", 51.5074, -0.1278, UK),
  denver: place("denver", "Denver", "Colorado", "US", 39.7392, -104.9903, US_MOUNTAIN),
  austin: place("austin", "Austin", "Texas", "US", 30.2672, -97.7431, US_CENTRAL),
  toronto: place("toronto", "Toronto", "Ontario", "CA", 43.6532, -79.3832, US_EASTERN),
  boston: place("boston", "Boston", "Massachusetts", "US", 42.3601, -71.0589, US_EASTERN),
  manchester: place("manchester", "Manchester", "England", "GB", 53.4808, -2.2426, UK),
  newyork: place("newyork", "New York", "New York", "US", 40.7128, -74.006, US_EASTERN),
  tokyo: place("tokyo", "Tokyo", "Tokyo", "JP", 35.6762, 139.6503, { std: 9, dst: "none" }),
  berlin: place("berlin", "Berlin", "Berlin", "DE", 52.52, 13.405, CET),
  // Attacker and anomaly locations.
  hanoi: place("hanoi", "Hanoi", "Ha Noi", "VN", 21.0278, 105.8342, { std: 7, dst: "none" }),
  moscow: place("moscow", "Moscow", "Moscow", "RU", 55.7558, 37.6173, { std: 3, dst: "none" }),
  lagos: place("lagos", "Lagos", "Lagos", "NG", 6.5244, 3.3792, { std: 1, dst: "none" }),
  amsterdam: place("amsterdam", "Amsterdam", "Noord-Holland", "NL", 52.3676, 4.9041, CET),
  bucharest: place("bucharest", "Bucharest", "Bucuresti", "RO", 44.4268, 26.1025, EET),
  frankfurt: place("frankfurt", "Frankfurt am Main", "Hessen", "DE", 50.1109, 8.6821, CET),
  saopaulo: place("saopaulo", "Sao Paulo", "Sao Paulo", "BR", -23.5505, -46.6333, { std: -3, dst: "none" }),
  shenzhen: place("shenzhen", "Shenzhen", "Guangdong", "CN", 22.5431, 114.0579, { std: 8, dst: "none" }),
  tehran: place("tehran", "Tehran", "Tehran", "IR", 35.6892, 51.389, { std: 3.5, dst: "none" }),
  hochiminh: place("hochiminh", "Ho Chi Minh City", "Ho Chi Minh", "VN", 10.8231, 106.6297, {
    std: 7,
    dst: "none",
  }),
  zurich: place("zurich", "Zurich", "Zurich", "CH", 47.3769, 8.5417, CET),
  kyiv: place("kyiv", "Kyiv", "Kyiv City", "UA", 50.4501, 30.5234, EET),
  // Hosting and VPN exits (the data centres' cities).
  clifton: place("clifton", "Clifton", "New Jersey", "US", 40.8584, -74.1638, US_EASTERN),
  roubaix: place("roubaix", "Roubaix", "Hauts-de-France", "FR", 50.6942, 3.1746, CET),
  stockholm: place("stockholm", "Stockholm", "Stockholm", "SE", 59.3293, 18.0686, CET),
};

/**
 * Real provider address space used by the planted compromises and the VPN look-alike, with the ASN and the
 * organisation name that `@ip-location-db/asn` (2.3.2026061719) gives for each address.
 */
export const PROVIDER_NETS = {
  /** DigitalOcean droplet (New York / New Jersey region): the spray that worked. */
  sprayVps: { ip: "167.99.38.112", asn: 14061, org: "DigitalOcean, LLC", place: "clifton" },
  /** OVH server in Roubaix: the session-cookie replay. */
  replayVps: { ip: "51.75.140.17", asn: 16276, org: "OVH SAS", place: "roubaix" },
  /** Vultr (The Constant Company) server in Amsterdam: redeems the phished device-code tokens. */
  deviceCodeVps: { ip: "45.76.155.20", asn: 20473, org: "The Constant Company, LLC", place: "amsterdam" },
  /** Mullvad VPN exit in Stockholm (AS39351, 31173 Services AB): the steady consumer-VPN user. */
  consumerVpn: { ip: "193.138.218.51", asn: 39351, org: "31173 Services AB", place: "stockholm" },
} as const;

/** Home place of user i is HOME_PLAN[i % 20]: a Chicago HQ with Seattle and London offices and remote staff. */
export const HOME_PLAN: readonly string[] = [
  "chicago",
  "chicago",
  "chicago",
  "seattle",
  "london",
  "chicago",
  "denver",
  "chicago",
  "seattle",
  "london",
  "chicago",
  "austin",
  "chicago",
  "seattle",
  "toronto",
  "chicago",
  "london",
  "boston",
  "chicago",
  "manchester",
];

/** Offices: named locations in Conditional Access, two egress addresses each. */
export const OFFICES: Record<string, { name: string; ips: [string, string]; asn: number }> = {
  chicago: { name: "Contoso HQ Chicago", ips: ["203.0.113.10", "203.0.113.11"], asn: 7018 },
  seattle: { name: "Contoso Seattle", ips: ["203.0.113.40", "203.0.113.41"], asn: 20057 },
  london: { name: "Contoso London", ips: ["203.0.113.70", "203.0.113.71"], asn: 5089 },
};

export interface App {
  id: string;
  name: string;
}

export interface Resource {
  id: string;
  name: string;
}

function app(id: string, name: string): App {
  return { id, name };
}

export const APPS = {
  windowsSignIn: app("38aa3b87-a06d-4817-b275-7a316988d93b", "Windows Sign In"),
  teams: app("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
  teamsWeb: app("5e3ce6c0-2b1f-4285-8d4b-75ee78787346", "Microsoft Teams Web Client"),
  office: app("d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office"),
  officeHome: app("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"),
  outlookMobile: app("27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile"),
  oneDriveSync: app("ab9b8c07-8f02-4f72-87fa-80105867a763", "OneDrive SyncEngine"),
  sharePoint: app("00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"),
  exchange: app("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"),
  azurePortal: app("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"),
  azureCli: app("04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Microsoft Azure CLI"),
  broker: app("29d9ed98-a469-4536-ade2-f981bc1d605e", "Microsoft Authentication Broker"),
  edge: app("ecd6b820-32c2-49b6-98a6-444530e5a77a", "Microsoft Edge"),
  mySignins: app("19db86c3-b2b9-44cc-b339-36da233a3be2", "My Signins"),
  aadPowerShell: app("1b730954-1685-4b74-9bfd-dac224a7b894", "Azure Active Directory PowerShell"),
  vsCode: app("aebc6443-996d-45c2-90f0-388ff96faa56", "Visual Studio Code"),
} as const;

function res(id: string, name: string): Resource {
  return { id, name };
}

export const RESOURCES = {
  exchange: res("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"),
  sharePoint: res("00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"),
  graph: res("00000003-0000-0000-c000-000000000000", "Microsoft Graph"),
  aad: res("00000002-0000-0000-c000-000000000000", "Windows Azure Active Directory"),
  azureManagement: res("797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API"),
  teamsServices: res("cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Microsoft Teams Services"),
  skype: res("00000004-0000-0ff1-ce00-000000000000", "Skype for Business Online"),
  officeHome: res("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"),
  deviceRegistration: res("01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9", "Device Registration Service"),
  oneDrive: res("00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"),
} as const;

/** Legacy authentication client names, exactly as clientAppUsed spells them. */
export const LEGACY_CLIENTS = [
  "IMAP4",
  "POP3",
  "Authenticated SMTP",
  "Exchange ActiveSync",
  "Other clients",
  "MAPI Over HTTP",
  "Exchange Web Services",
  "AutoDiscover",
] as const;

export const MODERN_CLIENTS = ["Browser", "Mobile Apps and Desktop clients"] as const;

export function isLegacyClient(clientAppUsed: string): boolean {
  return (LEGACY_CLIENTS as readonly string[]).includes(clientAppUsed);
}

export interface PolicyDef {
  key: "mfaAll" | "blockLegacy" | "blockHighRisk" | "mfaMediumRisk" | "unmanagedSif" | "compliantAdmin";
  id: string;
  displayName: string;
  grant: string[];
  session: string[];
}

/** The tenant's enabled Conditional Access policies, in the order Graph lists them. */
export const POLICIES: readonly PolicyDef[] = [
  {
    key: "mfaAll",
    id: "0b7a2f45-1c6e-4d8b-9a3f-5e2c7d1b4a60",
    displayName: "CA001: Require multifactor authentication for all users",
    grant: ["Mfa"],
    session: [],
  },
  {
    key: "blockLegacy",
    id: "3e9d1c7a-52b4-4f0e-8c6d-a1b2c3d4e5f6",
    displayName: "CA002: Block legacy authentication",
    grant: ["Block"],
    session: [],
  },
  {
    key: "blockHighRisk",
    id: "5a4c3b2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
    displayName: "CA003: Block high sign-in risk",
    grant: ["Block"],
    session: [],
  },
  {
    key: "mfaMediumRisk",
    id: "7c6b5a49-3827-4165-b4a3-9281706f5e4d",
    displayName: "CA004: Require MFA for medium sign-in risk",
    grant: ["Mfa"],
    session: [],
  },
  {
    key: "unmanagedSif",
    id: "9e8d7c6b-5a49-4382-a716-05f4e3d2c1b0",
    displayName: "CA005: Sign-in frequency 8 hours on unmanaged devices",
    grant: [],
    session: ["SignInFrequency"],
  },
  {
    key: "compliantAdmin",
    id: "b1a2c3d4-e5f6-4789-9abc-def012345678",
    displayName: "CA006: Require compliant device for Azure management",
    grant: ["RequireCompliantDevice"],
    session: [],
  },
];

export interface StatusText {
  failureReason: string;
  additionalDetails: string | null;
}

/** Status texts as the sign-in log writes them, keyed by error code (and variant for 50053). */
export const STATUS: Record<string, StatusText> = {
  "0": { failureReason: "Other.", additionalDetails: null },
  "0:mfa": { failureReason: "Other.", additionalDetails: "MFA completed in Azure AD" },
  "0:claim": {
    failureReason: "Other.",
    additionalDetails: "MFA requirement satisfied by claim in the token",
  },
  "50126": {
    failureReason: "Error validating credentials due to invalid username or password.",
    additionalDetails:
      "The user didn't enter the right credentials. \u00a0It's expected to see some number of these errors in your logs due to users making mistakes.",
  },
  "50053": {
    failureReason:
      "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
    additionalDetails: null,
  },
  "50053:malicious": {
    failureReason: "Sign-in was blocked because it came from an IP address with malicious activity",
    additionalDetails: null,
  },
  "53003": {
    failureReason:
      "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
    additionalDetails: null,
  },
  "500121": {
    failureReason: "Authentication failed during strong authentication request.",
    additionalDetails:
      "The user didn't complete the MFA prompt. They may have decided not to authenticate, timed out while doing other work, or has an issue with their authentication setup.",
  },
  "50057": {
    failureReason: "User account is disabled. The account has been disabled by an administrator.",
    additionalDetails: null,
  },
  "90072": {
    failureReason:
      "User account '{EmailHidden}' from identity provider '{idp}' does not exist in tenant '{tenant}' and cannot access the application '{appid}'({appName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.",
    additionalDetails: null,
  },
  "50074": {
    failureReason: "Strong Authentication is required.",
    additionalDetails: "MFA required in Azure AD",
  },
  "50140": {
    failureReason: "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
    additionalDetails:
      "This is an expected part of the login flow, where a user is asked if they want to remain signed into this browser to make further logins easier.",
  },
  "50058": {
    failureReason: "Session information is not sufficient for single-sign-on.",
    additionalDetails:
      "This means that a user is not signed in. This is a common error that's expected when a user is unauthenticated and has not yet signed in.",
  },
  "50055": {
    failureReason: "The password is expired.",
    additionalDetails:
      "The user's password is expired, and therefore their login or session was ended. They will be offered the opportunity to reset it, or may ask an admin to reset it.",
  },
  "50072": {
    failureReason: "Users need to enroll for second factor authentication.",
    additionalDetails: "The user must register for multifactor authentication before signing in.",
  },
  "65001": {
    failureReason:
      "The user or administrator has not consented to use the application with ID '{identifier}' named '{appName}'. Send an interactive authorization request for this user and resource.",
    additionalDetails: null,
  },
};

/** The store's interrupt list (one definition for the whole project), as a set for quick membership tests. */
export const INTERRUPT_CODES: ReadonlySet<number> = new Set(INTERRUPT_LIST);

export const FIRST_NAMES = [
  "Adele",
  "Alex",
  "Diego",
  "Grady",
  "Henrietta",
  "Isaiah",
  "Johanna",
  "Joni",
  "Lee",
  "Lidia",
  "Lynne",
  "Megan",
  "Miriam",
  "Nestor",
  "Patti",
  "Pradeep",
  "Aisha",
  "Bjorn",
  "Carmen",
  "Dmitri",
  "Elena",
  "Farah",
  "Gabriel",
  "Hana",
  "Ivan",
  "Julia",
  "Kenji",
  "Laura",
  "Mateo",
  "Nadia",
  "Oscar",
  "Priya",
  "Quentin",
  "Rosa",
  "Samuel",
  "Tamara",
  "Umar",
  "Vera",
  "Wei",
  "Ximena",
  "Yusuf",
  "Zoe",
  "Amelia",
  "Benjamin",
  "Chloe",
  "Daniel",
  "Emily",
  "Felix",
  "Grace",
  "Hugo",
];

export const LAST_NAMES = [
  "Vance",
  "Wilber",
  "Siciliani",
  "Archie",
  "Cernik",
  "Langer",
  "Lauer",
  "Sherman",
  "Gu",
  "Holloway",
  "Robbins",
  "Bowen",
  "Graham",
  "Wilke",
  "Fernandez",
  "Gupta",
  "Okafor",
  "Lindqvist",
  "Delgado",
  "Petrov",
  "Rossi",
  "Haddad",
  "Moreau",
  "Kim",
  "Novak",
  "Schmidt",
  "Tanaka",
  "Bianchi",
  "Herrera",
  "Khan",
  "Nilsen",
  "Patel",
  "Dubois",
  "Santos",
  "Cohen",
  "Ivanova",
  "Rahman",
  "Kowalski",
  "Zhang",
  "Lopez",
  "Demir",
  "Walsh",
  "Murphy",
  "Carter",
  "Brooks",
  "Foster",
  "Hughes",
  "Morgan",
  "Reed",
  "Turner",
];

export const JOB_KINDS = ["office", "engineer", "sales", "admin"] as const;
export type JobKind = typeof JOB_KINDS[number];
