// Holds a store open in its own process, as a notebook kernel (reader) or a long load (writer) would:
//   deno run -A _hold_store.ts reader|writer DB SECONDS
// prints "ready <pid> <sign-ins>" once open, and after SECONDS (reader) "after <sign-ins>" from a new query.
import { openExistingStore, openStore } from "../../lib/store/mod.ts";

const [mode, db, seconds] = Deno.args;
const store = mode === "reader" ? await openExistingStore(db) : await openStore({ path: db });
const count = async () =>
  Number(
    (await store.connection.runAndReadAll(`SELECT count(*) AS n FROM signin_records`)).getRowObjectsJS()[0].n,
  );
console.log(`ready ${Deno.pid} ${await count()}`);
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
console.log(`after ${await count()}`);
store.close();
