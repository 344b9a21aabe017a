// Short, readable names for Entra error codes. Graph's failureReason is a long sentence; legends show
// "50126 · Invalid username or password" and the report's tables keep the full text.
import { truncate } from "./svg_text.ts";

const SHORT: Readonly<Record<string, string>> = {
  "50126": "Invalid username or password",
  "50053": "Account locked or malicious IP",
  "53003": "Blocked by Conditional Access",
  "500121": "Strong authentication failed",
  "50057": "Account disabled",
  "90072": "Account not in tenant",
  "50034": "User does not exist",
  "50056": "Invalid or null password",
  "50105": "Not assigned to the app",
  "530032": "Blocked by security defaults",
  "50173": "Fresh auth token needed",
  "50074": "Strong authentication required",
  "50140": "Keep me signed in prompt",
  "50058": "No single-sign-on session",
  "50072": "MFA registration required",
  "50055": "Password expired",
  "65001": "Consent required",
  "16000": "Account selection",
  "16001": "Account selection",
  "16003": "Account not in tenant (MSA)",
  "50125": "Password reset or registration",
  "50097": "Device authentication required",
  "81010": "Seamless SSO failed",
  "81012": "Seamless SSO user mismatch",
  "81014": "Seamless SSO ticket",
};

/** The error code as a string, or "" when missing. */
export function codeKey(code: unknown): string {
  if (code === null || code === undefined) return "";
  return String(code).trim();
}

/** "50126 · Invalid username or password"; falls back to the first sentence of Graph's failureReason. */
export function reasonLabel(code: unknown, failureReason: string | null, maxChars = 44): string {
  const key = codeKey(code);
  const text = SHORT[key] ?? firstSentence(failureReason) ?? "Unknown reason";
  return key === "" ? truncate(text, maxChars) : `${key} · ${truncate(text, maxChars)}`;
}

function firstSentence(reason: string | null): string | null {
  if (!reason) return null;
  const s = reason.trim().split(/(?<=[.!?])\s/)[0].replace(/[.]$/, "");
  return s === "" ? null : s;
}
