import { openStore, type Store } from "../../lib/store/mod.ts";

export const INPUTS = new URL("../fixtures/inputs/", import.meta.url).pathname;
export const input = (name: string) => INPUTS + name;

export async function withStore<T>(fn: (store: Store) => Promise<T>, path?: string): Promise<T> {
  const store = await openStore({ path: path ?? ":memory:" });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

export async function rows(store: Store, sql: string): Promise<Record<string, unknown>[]> {
  return (await store.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

export async function count(store: Store, sql = "SELECT count(*) AS n FROM signins"): Promise<number> {
  return Number((await rows(store, sql))[0].n);
}
