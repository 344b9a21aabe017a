/**
 * Seeded pseudo-random numbers for the sample tenant.
 *
 * Every stream is keyed by small integers (seed, user, day, …) rather than drawn from one long sequence,
 * so a day or a user can be generated on its own, in any order, and still come out identical.
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Hashes a string to 32 bits, for keying streams by a name. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** sfc32: small, fast, and good enough statistically for synthetic logs. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /**
   * The key is absorbed into the whole 128-bit state, a word at a time with rounds of the generator between,
   * so two keys share a stream only by a ~2^-96 chance (keys of different lengths never do: the counter word
   * differs). Seeding from one 32-bit hash of the key, as before, made the sample's GUIDs repeat like 33-bit
   * numbers: ~140 repeated sign-in ids per million already generated.
   */
  constructor(...key: number[]) {
    this.#a = 0x243f6a88;
    this.#b = 0x85a308d3;
    this.#c = 0x13198a2e;
    this.#d = 1;
    for (const p of key) {
      this.#a ^= p | 0;
      // Seeds and epoch milliseconds may be wider than 32 bits.
      this.#b ^= Math.floor(p / 0x100000000) | 0;
      for (let i = 0; i < 4; i++) this.u32();
    }
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      x -= weights[i];
      if (x < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** Approximately normal (Irwin–Hall with 4 terms): cheap and bounded, which suits clock times. */
  normal(mean: number, sd: number): number {
    const s = this.next() + this.next() + this.next() + this.next() - 2;
    return mean + sd * s * 1.7320508;
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /** Lower-case hex string of n bytes. */
  hex(bytes: number): string {
    let s = "";
    let w = 0;
    for (let i = 0; i < bytes; i++) {
      if ((i & 3) === 0) w = this.u32();
      s += HEX[w & 0xff];
      w >>>= 8;
    }
    return s;
  }

  /** Random (version 4 layout) GUID, as Entra writes ids. */
  guid(): string {
    const a = this.u32(), b = this.u32(), c = this.u32(), d = this.u32();
    return (
      HEX[a >>> 24] + HEX[(a >>> 16) & 0xff] + HEX[(a >>> 8) & 0xff] + HEX[a & 0xff] + "-" +
      HEX[b >>> 24] + HEX[(b >>> 16) & 0xff] + "-" +
      HEX[0x40 | ((b >>> 8) & 0x0f)] + HEX[b & 0xff] + "-" +
      HEX[0x80 | ((c >>> 24) & 0x3f)] + HEX[(c >>> 16) & 0xff] + "-" +
      HEX[(c >>> 8) & 0xff] + HEX[c & 0xff] + HEX[d >>> 24] + HEX[(d >>> 16) & 0xff] +
      HEX[(d >>> 8) & 0xff] + HEX[d & 0xff]
    );
  }

  /**
   * A request id as the Entra token service issues them: a GUID whose last byte is 00 and whose second to
   * last byte is a small counter, e.g. "1691d37b-8579-43a7-966a-0f35583c1300".
   */
  requestId(): string {
    const g = this.guid();
    return g.slice(0, 32) + HEX[this.u32() & 0x3f] + "00";
  }

  /** base64url-ish token identifier as in uniqueTokenIdentifier (22 chars for 16 bytes). */
  tokenId(): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let s = "";
    for (let i = 0; i < 22; i++) s += alphabet[this.u32() & 63];
    return s;
  }
}
