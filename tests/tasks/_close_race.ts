// Opens a read-only store, queries it and closes it just as the idle release (250 ms) starts, many times:
//   deno run -A _close_race.ts DB TIMES
// Closing during a running DETACH crashed the process (segfault); it must exit 0 and print "no crash".
import { openExistingStore } from "../../lib/store/mod.ts";

const [db, times] = Deno.args;
for (let i = 0; i < Number(times); i++) {
  const store = await openExistingStore(db);
  await store.connection.runAndReadAll(`SELECT count(*) FROM signin_records`);
  await new Promise((r) => setTimeout(r, 249 + (i % 5)));
  store.close();
}
console.log("no crash");
