/**
 * Reads an option's number as a person wrote it: decimal digits, an optional fraction where allowed, nothing
 * else. `Number()` alone takes "0x10", "1e3", " 7 " and "" (as 0), which silently changes what a task does.
 */
export function decimalOption(text: string, options: { integer?: boolean } = {}): number | null {
  const pattern = options.integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  return pattern.test(text) ? Number(text) : null;
}
