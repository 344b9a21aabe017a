/** "1 code cell", "3 code cells": counts in the task's lines agree with their nouns. */
export function plural(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

/** The `ok` line `deno task notebooks` prints for one executed notebook. */
export function okLine(
  path: string,
  run: { codeCells: number; seconds: number; lateOutputs: number },
  wrote: string[],
): string {
  const late = run.lateOutputs > 0 ? `, ${plural(run.lateOutputs, "output")} arrived after idle` : "";
  return `ok   ${path} (${plural(run.codeCells, "code cell")}, ${run.seconds.toFixed(1)} s${late}) → ${
    wrote.join(", ")
  }`;
}
