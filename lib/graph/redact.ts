/**
 * Keeps secrets and tokens out of anything printed or stored. Every known secret value is replaced in every
 * form a server or library may echo it in: raw, percent-encoded (URI or form style, upper- or lower-case hex,
 * encoded twice or more, or only some characters encoded), form `+` for spaces, JSON string escapes, and
 * base64 (standard or URL alphabet, at any alignment inside a longer base64 text). Anything shaped like a
 * credential (bearer tokens, JWTs, form fields) is replaced too, in case a library echoes one.
 */
export class Redactor {
  #secrets = new Set<string>();
  #patterns: RegExp[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret value (client secret, access token, passphrase); short values are ignored. */
  add(secret: string | undefined | null): void {
    // Very short strings would redact ordinary words; real secrets and tokens are far longer.
    if (!secret || secret.length < 8 || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    this.#patterns.push(new RegExp([...secret].map(charPattern).join(""), "gi"));
    for (const b64 of base64Cores(secret)) this.#patterns.push(new RegExp(escapeRegExp(b64), "g"));
  }

  redact(text: string): string {
    let out = text;
    for (const p of this.#patterns) out = out.replace(p, "[redacted]");
    return out
      .replace(/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1[redacted]")
      .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "[redacted-jwt]")
      .replace(
        /((?:client_secret|client_assertion|access_token|refresh_token)["']?\s*[=:]\s*["']?)[^"'&\s,;}]+/gi,
        "$1[redacted]",
      );
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, "0");
}

/**
 * Every spelling of one character: itself, percent-encoded UTF-8 bytes at any depth (`%7E`, `%257E`, …),
 * a JSON `\uXXXX` escape, JSON's `\/`, `\"`, `\\`, and form encoding's `+` for a space.
 */
function charPattern(ch: string): string {
  const alts = [escapeRegExp(ch)];
  const bytes = new TextEncoder().encode(ch);
  alts.push([...bytes].map((b) => `%(?:25)*${hex2(b)}`).join(""));
  for (let i = 0; i < ch.length; i++) alts.push(`\\\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`);
  if (ch === "/" || ch === '"' || ch === "\\") alts.push(`\\\\${escapeRegExp(ch)}`);
  if (ch === " ") alts.push("\\+", "%(?:25)*2b");
  return `(?:${alts.join("|")})`;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * The part of the secret's base64 that is the same wherever the secret sits in a longer base64 text: for each
 * of the three byte alignments, the whole 3-byte groups that hold only secret bytes; standard and URL alphabet.
 */
function base64Cores(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const out = new Set<string>();
  for (let skip = 0; skip < 3; skip++) {
    const whole = Math.floor((bytes.length - skip) / 3) * 3;
    if (whole < 6) continue;
    const core = base64(bytes.subarray(skip, skip + whole));
    out.add(core);
    out.add(core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...out];
}
