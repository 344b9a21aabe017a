/**
 * The grow bench's page generator, run as its own process so the next chunk's pages are written
 * while the current chunk is measured: `deno run -A bench/grow_gen.ts '{"dir", "records", "seed", "end"}'`.
 * Prints the pages' manifest as one JSON line.
 */
import { writePages } from "./sample_pages.ts";

if (import.meta.main) {
  const a = JSON.parse(Deno.args[0]) as { dir: string; records: number; seed: number; end: string };
  const manifest = await writePages(a.dir, a.records, (l) => console.error(l), { seed: a.seed, end: a.end });
  console.log(JSON.stringify(manifest));
}
