import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newEvent, uniqueStream } from "@mebel/store-contract";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Driver, driverCases } from "./driver-cases.js";
import { openPglite } from "./pglite-client.js";
import type { SqlClient } from "./sql-client.js";
import { createPostgresStores } from "./stores.js";

// One instance on a data folder stands for the process (the embedded mode's default); "another
// process" is another set of stores on it. Starting PGlite takes seconds, so it is shared.
let dataDir: string;
let shared: Promise<SqlClient> | undefined;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "mebel-pglite-"));
});
afterAll(async () => {
  await (await shared)?.close();
  await rm(dataDir, { recursive: true, force: true });
});
const open = (): Promise<SqlClient> => {
  shared ??= openPglite(dataDir);
  return shared;
};
const driver = (): Driver => ({ connect: open, disconnect: async () => {} });

driverCases("pglite", driver);

describe("pglite: a data folder", () => {
  it("keeps events, checkpoints and read models across a restart", async () => {
    const schema = "restart";
    const stream = uniqueStream();
    const event = newEvent({ kept: "через перезапуск" });
    const first = await createPostgresStores({ client: await open(), schema, closeClient: false });
    const appended = await first.eventStore.append(stream, [event], "no_stream");
    await first.checkpoints.save("restart", 1n);
    await first.readModels.commit("restart", new Map([["k", { v: 1 }]]), 1n);
    await first.close();
    const stopping = await open();
    shared = undefined;
    await stopping.close();

    const second = await createPostgresStores({ client: await open(), schema, closeClient: false });
    try {
      const [read] = await second.eventStore.readStream(stream);
      expect(read?.data).toEqual(event.data);
      expect(E.isRight(appended) && appended.right.position).toBe(read?.position);
      expect(await second.eventStore.head()).toBe(read?.position);
      expect(await second.checkpoints.load("restart")).toBe(1n);
      expect(await second.readModels.list("restart")).toEqual([{ key: "k", doc: { v: 1 } }]);
    } finally {
      await second.close();
    }
  });
});
