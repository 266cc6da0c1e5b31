import { randomUUID } from "node:crypto";
import {
  createMemoryEventStore,
  createMemoryLocks,
  createMemoryReadModelStore,
} from "@mebel/adapter-memory";
import { isoInstant, readModelName, reservationLedgerProjection } from "@mebel/core";
import { describe, expect, it } from "vitest";
import { replayInPlace } from "./projections-replay.js";
import { modelAndReplay, runProjections, writeHistory } from "./test-world.js";

/** Memory stores with some history, the projections run once: quick, for what needs no folder. */
const world = async () => {
  const stores = {
    store: createMemoryEventStore(),
    readModels: createMemoryReadModelStore(),
    locks: createMemoryLocks(),
  };
  await writeHistory(stores, { skus: ["SOFA-OSLO-3", "LAMP-ARC"], orders: 2 });
  await runProjections(stores);
  return stores;
};

const metadata = { correlationId: "c", causationId: "c", occurredAt: isoInstant(new Date()) };
const lockOf = `subscriber:${readModelName(reservationLedgerProjection)}`;

describe("replay in place", () => {
  it("ends with what a replay of every event builds, at the head", async () => {
    const stores = await world();
    const outcome = await replayInPlace(reservationLedgerProjection, stores);
    expect(outcome).toMatchObject({ interrupted: false, progress: { checkpoint: 4n, head: 4n } });
    const { stored, replayed } = await modelAndReplay(stores, reservationLedgerProjection);
    expect(stored).toEqual(replayed);
  });

  it("refuses while a runner of the live model holds its lock, and touches nothing", async () => {
    const stores = await world();
    const release = await stores.locks.tryAcquire(lockOf);
    const before = await stores.readModels.checkpoint(readModelName(reservationLedgerProjection));
    await expect(replayInPlace(reservationLedgerProjection, stores)).rejects.toThrow(
      /kept up to date by a running service.*mebel projections rebuild reservation-ledger/,
    );
    expect(await stores.readModels.checkpoint(readModelName(reservationLedgerProjection))).toBe(
      before,
    );
    await release?.();
  });

  it("fails on a corrupt event, naming it, and lets go of the lock", async () => {
    const stores = await world();
    await stores.store.append(
      "Order-broken",
      [{ eventId: randomUUID(), type: "OrderCreated", data: {}, metadata }],
      "no_stream",
    );
    await expect(replayInPlace(reservationLedgerProjection, stores)).rejects.toThrow(
      /Order-broken@0 .* malformed/,
    );
    const release = await stores.locks.tryAcquire(lockOf);
    expect(release).toBeDefined();
    await release?.();
  });

  it("stops when interrupted, and lets go of the lock", async () => {
    const stores = await world();
    const outcome = await replayInPlace(reservationLedgerProjection, stores, {
      interrupted: Promise.resolve(),
    });
    expect(outcome.interrupted).toBe(true);
    const release = await stores.locks.tryAcquire(lockOf);
    expect(release).toBeDefined();
    await release?.();
  });
});
