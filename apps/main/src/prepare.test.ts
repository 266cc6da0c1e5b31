import { createTestDatabase, startTcpProxy, type TcpProxy } from "@mebel/adapter-postgres";
import { readAuthSettings, readSettings, type Settings } from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { prepareWhenReachable } from "./prepare.js";

/** A service apart (not the site): it verifies tokens with the site's JWKS, fetched when needed. */
const authOf = (settings: Settings) => {
  const auth = readAuthSettings({}, { ...settings, dataDir: ".data" });
  if (E.isLeft(auth)) throw new Error(auth.left.join());
  return auth.right;
};

/**
 * A private database behind a proxy that refuses every connection, and the settings of a
 * service on it: what `work` sees until it calls `proxy.heal()`.
 */
const behindRefusingProxy = async (
  work: (settings: Settings, proxy: TcpProxy) => Promise<void>,
): Promise<void> => {
  const database = await createTestDatabase();
  const server = new URL(database.url);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port) });
  try {
    proxy.cut({ refuse: true });
    const settings = readSettings({
      EVENTSTORE_URL: proxy.through(database.url),
      MEBEL_PG_CONNECT_TIMEOUT_MS: "300",
      LOG_LEVEL: "silent",
    });
    if (E.isLeft(settings)) throw new Error(settings.left.join());
    await work(settings.right, proxy);
  } finally {
    await proxy.close();
    await database.drop();
  }
};

describe("a service started while its database cannot be reached", () => {
  it("comes up once the database answers, instead of exiting", () =>
    behindRefusingProxy(async (settings, proxy) => {
      const retries: string[] = [];
      const shared = await prepareWhenReachable(settings, authOf(settings), false, {
        withinMs: 20_000,
        onRetry: (error: Error) => {
          retries.push(error.message);
          if (retries.length === 2) proxy.heal();
        },
      });
      expect(retries.length).toBeGreaterThanOrEqual(2);
      expect(await shared.infra.store.head()).toBeUndefined();
      await shared.infra.close();
    }));

  it("gives up after its time, with the store's error", () =>
    behindRefusingProxy(async (settings) => {
      await expect(
        prepareWhenReachable(settings, authOf(settings), false, { withinMs: 1_000 }),
      ).rejects.toThrow(/unavailable/i);
    }));
});
