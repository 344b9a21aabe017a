/**
 * Code the executor runs silently in the kernel to catch un-awaited rejected promises, which the
 * Deno kernel otherwise swallows without a word.
 *
 * @module
 */

/** Error name the probe throws with, so its reply can be told apart from a cell's own error. */
export const REJECTION_ENAME = "SigninLensUnhandledRejection";

const STATE = `globalThis[Symbol.for("signin-lens.notebook.guard")]`;

/** Installs an `unhandledrejection` listener that records each rejection with the cell running then. */
export function guardSetupCode(firstCell: number): string {
  return `{
  const key = Symbol.for("signin-lens.notebook.guard");
  if (!globalThis[key]) {
    const state = { cell: ${firstCell}, rejections: [] };
    globalThis[key] = state;
    globalThis.addEventListener("unhandledrejection", (event) => {
      event.preventDefault();
      const reason = event.reason;
      const text = reason instanceof Error ? (reason.stack ?? String(reason)) : (() => {
        try { return typeof reason === "string" ? reason : JSON.stringify(reason) ?? String(reason); }
        catch { return String(reason); }
      })();
      state.rejections.push({ cell: state.cell, text });
    });
  }
}`;
}

/**
 * Throws (as {@link REJECTION_ENAME}, the rejections as JSON in the message) when rejections were
 * recorded, then marks `nextCell` as the one running. `settleMs` lets late timers fire first.
 */
export function guardProbeCode(nextCell: number, settleMs = 0): string {
  return `{
  ${settleMs > 0 ? `await new Promise((resolve) => setTimeout(resolve, ${settleMs}));` : ""}
  const state = ${STATE};
  const found = state.rejections.splice(0);
  state.cell = ${nextCell};
  if (found.length > 0) {
    const error = new Error(JSON.stringify(found));
    error.name = "${REJECTION_ENAME}";
    throw error;
  }
}`;
}

export interface RecordedRejection {
  /** Index of the notebook cell that was running (or had just run) when the promise was rejected. */
  cell: number;
  text: string;
}

/** Reads the rejections back from the probe's error reply value. */
export function parseProbeError(evalue: string): RecordedRejection[] {
  try {
    const value: unknown = JSON.parse(evalue);
    if (!Array.isArray(value)) return [];
    return value.map((r) => ({ cell: Number(r?.cell ?? -1), text: String(r?.text ?? "") }));
  } catch {
    return [{ cell: -1, text: evalue }];
  }
}
