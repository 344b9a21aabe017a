/**
 * Keeps secrets and tokens out of anything printed or stored. Every known secret value is replaced, and
 * so is anything shaped like a credential (bearer tokens, JWTs, form fields) in case a library echoes one.
 */
export class Redactor {
  #secrets = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a secret value (client secret, access token, passphrase); short values are ignored. */
  add(secret: string | undefined | null): void {
    // Very short strings would redact ordinary words; real secrets and tokens are far longer.
    if (secret && secret.length >= 8) this.#secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.#secrets) {
      if (out.includes(s)) out = out.split(s).join("[redacted]");
      // The same secret URL-encoded (form bodies, query strings).
      const enc = encodeURIComponent(s);
      if (enc !== s && out.includes(enc)) out = out.split(enc).join("[redacted]");
    }
    return out
      .replace(/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1[redacted]")
      .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "[redacted-jwt]")
      .replace(
        /((?:client_secret|client_assertion|access_token|refresh_token)["']?\s*[=:]\s*["']?)[^"'&\s,}]+/gi,
        "$1[redacted]",
      );
  }
}
