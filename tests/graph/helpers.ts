/** Shared bits of the Graph tests: a memory sink, a recording sleep, config for a fake. */
import { type GraphConfig, normalizeConfig } from "../../lib/config.ts";
import type { PageSink } from "../../lib/graph/client.ts";
import { TransientError } from "../../lib/graph/errors.ts";
import { type PageSummary, scanPage } from "../../lib/graph/page_scanner.ts";
import type { FakeGraph } from "../fakes/graph_server.ts";

export class MemorySink implements PageSink<{ text: string; summary: PageSummary }> {
  #parts: Uint8Array[] = [];
  begins = 0;
  aborts = 0;
  begin(): Promise<void> {
    this.begins++;
    this.#parts = [];
    return Promise.resolve();
  }
  chunk(bytes: Uint8Array): Promise<void> {
    this.#parts.push(bytes.slice());
    return Promise.resolve();
  }
  end(): Promise<{ text: string; summary: PageSummary }> {
    const size = this.#parts.reduce((n, p) => n + p.length, 0);
    const all = new Uint8Array(size);
    let o = 0;
    for (const p of this.#parts) {
      all.set(p, o);
      o += p.length;
    }
    const summary = scanPage(all);
    if (!summary.complete) return Promise.reject(new TransientError(`incomplete page (${summary.problem})`));
    return Promise.resolve({ text: new TextDecoder().decode(all), summary });
  }
  abort(): Promise<void> {
    this.aborts++;
    this.#parts = [];
    return Promise.resolve();
  }
}

/** A sleep that records the waits and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}

export function fakeConfig(fake: FakeGraph, extra: Record<string, string> = {}): GraphConfig {
  return normalizeConfig({ ...fake.env, ...extra });
}

export async function readAllFiles(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  async function walk(d: string) {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.isFile) out.push({ path: p, text: await Deno.readTextFile(p) });
    }
  }
  await walk(dir);
  return out;
}

/** Ids of every record in every page file under `root/kind`, with their counts. */
export async function countIds(root: string, kind = "signins"): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const f of await readAllFiles(`${root}/${kind}`)) {
    if (!/\/page-\d+\.json$/.test(f.path)) continue;
    const page = JSON.parse(f.text) as { value: { id: string }[] };
    for (const r of page.value) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  }
  return counts;
}

export function b64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** Every form a server or library has been seen to echo a secret in. */
export function secretForms(secret: string): Record<string, string> {
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const json = JSON.stringify(secret).slice(1, -1);
  return {
    raw: secret,
    percent: encodeURIComponent(secret),
    "percent, lower-case hex": encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    form,
    "form, double-encoded": encodeURIComponent(form),
    "percent, double-encoded": encodeURIComponent(encodeURIComponent(secret)),
    "percent, triple-encoded": encodeURIComponent(encodeURIComponent(encodeURIComponent(secret))),
    "JSON-escaped": json,
    "JSON-escaped with \\/": json.replaceAll("/", "\\/"),
    "JSON \\u escapes": [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(
      "",
    ),
    base64: b64(secret),
    "base64 url alphabet, no padding": b64(secret).replaceAll("+", "-").replaceAll("/", "_").replace(
      /=+$/,
      "",
    ),
  };
}
