/** The SHA-256 digest of `text`'s UTF-8 bytes as 64 lower-case hex digits, as the store's lens_meta keeps it. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
