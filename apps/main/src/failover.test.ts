import { connectPg, createTestDatabase, type TestDatabase } from "@mebel/adapter-postgres";
import { availabilityProjection, notificationsProjection, orderViewProjection } from "@mebel/core";
import { couriersFromJson, deliverySubscribers } from "@mebel/delivery";
import { warehouseSubscribers } from "@mebel/warehouse";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, describe, expect, it } from "vitest";
import { blipDatabase, type Cluster, type Outage, startCluster } from "./test-support/cluster.js";
import {
  checkCommands,
  checkLog,
  checkProjections,
  collector,
  merge,
  readLog,
  type Violations,
} from "./test-support/invariants.js";
import { createJournal } from "./test-support/journal.js";
import { type Kill, killLeader } from "./test-support/kills.js";
import { waitForQuiet } from "./test-support/quiet.js";
import { sleep } from "./test-support/sleep.js";
import { summarise } from "./test-support/summary.js";
import { createWorkload, seedShop } from "./test-support/workload.js";

const COURIERS = [
  { id: "anna", name: "Anna", capacity: 8 },
  { id: "boris", name: "Boris", capacity: 8 },
  { id: "vera", name: "Vera", capacity: 8 },
];
const TIMINGS = { sweepIntervalMs: 300, orphanGraceMs: 4_000, deliveryGraceMs: 2_000 };
const KILL_ROUNDS = 3;

const couriers = (() => {
  const decoded = couriersFromJson(JSON.stringify(COURIERS));
  if (E.isLeft(decoded)) throw new Error(`couriers: ${decoded.left}`);
  return decoded.right;
})();

describe("failover: two instances of each subscribing service on one PostgreSQL, leaders killed -9", () => {
  let database: TestDatabase | undefined;
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
    await database?.drop();
  });

  it("loses no acknowledged command, contradicts no fact, and every view equals its replay", async () => {
    const began = Date.now();
    database = await createTestDatabase();
    const url = database.url;
    cluster = await startCluster(database, COURIERS, TIMINGS);
    const running = cluster;
    const journal = createJournal(began + 120_000);
    await seedShop(running, journal);
    const workload = createWorkload(running, journal, {
      concurrency: 6,
      maxJourneys: 200,
      deadline: began + 100_000,
      giveUpAt: began + 120_000,
    });

    // Journeys go on until every kill round is done (and at least a few dozen ran).
    const kills: Kill[] = [];
    const blips: Outage[] = [];
    let killing = true;
    const load = workload.run(() => killing || workload.journeys() < 30);
    const schedule = async () => {
      try {
        for (let round = 0; round < KILL_ROUNDS && Date.now() < began + 80_000; round++) {
          await sleep(3_000);
          const groups = [
            running.warehouses,
            running.deliveries,
            ...(round === 1 ? [[running.site]] : []),
          ];
          // Every group's leader at once: the survivors take over while the others restart.
          for (const kill of await Promise.all(groups.map((g) => killLeader(g, 1_000)))) {
            if (kill !== undefined) kills.push(kill);
          }
          if (round === 0) await workload.restock();
          // A transient fault rather than a death: every connection of every service is cut.
          if (round === 1) blips.push(await blipDatabase(url));
        }
      } finally {
        killing = false;
      }
    };
    await Promise.all([schedule(), load]);

    // Past the orphan grace, so the sweep has had its turn, then until every subscriber is idle.
    await sleep(TIMINGS.orphanGraceMs + 3 * TIMINGS.sweepIntervalMs);
    const quiet = await waitForQuiet(running, 30_000);

    const client = connectPg(url);
    let violations: Violations;
    let events: number;
    try {
      const log = await readLog(client, "events");
      events = log.length;
      const found = collector();
      if (!quiet.quiet) for (const p of quiet.problems) found.add("never quiet", p);
      for (const f of quiet.failed) found.add("subscriber or sweep failed", f);
      for (const d of quiet.doubled) found.add("two leaders for one subscriber", d);
      for (const instance of running.all) {
        if (!instance.up())
          found.add("instance died", `${instance.name}: its last output is in the summary`);
      }
      for (const t of workload.troubles) found.add(t.what, `${t.orderId ?? ""} ${t.detail}`);
      violations = merge(
        found.violations,
        checkCommands(journal.commands, log, [...running.outages, ...blips]),
        checkLog(log, journal.commands),
        await checkProjections(client, "warehouse", warehouseSubscribers.projections, log),
        await checkProjections(client, "delivery", deliverySubscribers(couriers).projections, log),
        await checkProjections(
          client,
          "site",
          [orderViewProjection, notificationsProjection, availabilityProjection],
          log,
        ),
      );
    } finally {
      await client.close();
    }

    process.stdout.write(
      summarise({
        commands: journal.commands,
        kills,
        blips,
        journeys: workload.journeys(),
        events,
        seconds: (Date.now() - began) / 1_000,
        violations,
        outputs: running.all.map((i) => i.output()),
        crashes: running.all
          .filter((i) => !i.up())
          .map((i) => ({ instance: i.name, output: i.output() })),
      }),
    );
    expect(violations).toEqual({});
  }, 240_000);
});
