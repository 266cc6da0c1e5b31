import { join } from "node:path";
import {
  availabilityProjection,
  backOfficeProjections,
  loadParked,
  orderViewProjection,
  readModelName,
} from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freshDataDir,
  mebel,
  modelAndReplay,
  removeDataDirs,
  runProjections,
  withInfrastructure,
  writeHistory,
} from "./test-world.js";

let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = freshDataDir();
  env = { MEBEL_DATA_DIR: dataDir };
  await withInfrastructure(dataDir, async (infra) => {
    await writeHistory(infra, { skus: ["SOFA-OSLO-3", "LAMP-ARC", "SOFA-OSLO-3"], orders: 3 });
    await runProjections(infra);
  });
});
afterAll(removeDataDirs);

const statusOf = async (argv: ReadonlyArray<string> = []) => {
  const answer = await mebel(["projections", "status", "--json", ...argv], env);
  expect(answer).toMatchObject({ code: 0, stderr: "" });
  return new Map(answer.lines.map((line) => JSON.parse(line)).map((s) => [s.projection, s]));
};

/** A document no event made: whatever rebuilds the model from the first event drops it. */
const plantStrayDocument = (model: string) =>
  withInfrastructure(dataDir, async (infra) => {
    const checkpoint = await infra.readModels.checkpoint(model);
    await infra.readModels.commit(model, new Map([["stray", { revisions: {} }]]), checkpoint ?? 0n);
  });

const FINAL_LINE = /: \d+ events in \d+\.\d\d s \(\d+ events\/s\)$/;

describe("mebel projections", () => {
  it("list every projection with its version and read model, without opening a store", async () => {
    const answer = await mebel(["projections", "list"], { MEBEL_DATA_DIR: join(dataDir, "none") });
    expect(answer.code).toBe(0);
    expect(answer.lines[0]).toMatch(/^projection\s+version\s+read model/);
    for (const projection of backOfficeProjections) {
      expect(answer.stdout).toMatch(
        new RegExp(
          `^${projection.name}\\s+${projection.version}\\s+${readModelName(projection)}`,
          "m",
        ),
      );
    }
  });

  it("status: lag 0 after the projections ran, lag > 0 once more events come", async () => {
    const before = await statusOf();
    expect([...before.keys()]).toEqual(backOfficeProjections.map((p) => p.name));
    for (const status of before.values()) {
      expect(status).toMatchObject({ lag: "0", lagUnit: "events", caughtUp: true });
    }

    // Two new orders: lag for the projections that read orders, none for the others.
    await withInfrastructure(dataDir, (infra) => writeHistory(infra, { skus: [], orders: 2 }));
    const after = await statusOf();
    for (const projection of backOfficeProjections) {
      const readsOrders = projection.categories.includes("Order");
      expect(after.get(projection.name)).toMatchObject({
        lag: readsOrders ? "2" : "0",
        caughtUp: !readsOrders,
      });
    }

    const human = await mebel(["projections", "status"], env);
    expect(human.lines[0]).toMatch(
      /^projection\s+read model\s+checkpoint\s+head\s+lag\s+caught up\s+parked$/,
    );
    expect(human.stdout).toMatch(/^order-view\s+order-view\.v5\s+\d+\s+\d+\s+2\s+no\s+0$/m);
  });

  it("--data-dir overrides MEBEL_DATA_DIR", async () => {
    const answer = await mebel(["--data-dir", dataDir, "projections", "status"], {
      MEBEL_DATA_DIR: join(dataDir, "none"),
    });
    expect(answer).toMatchObject({ code: 0, stderr: "" });
  });

  it("replay rebuilds in place from the first event: what a replay of every event builds", async () => {
    await plantStrayDocument(readModelName(orderViewProjection));
    const answer = await mebel(["projections", "replay", "order-view"], env);
    expect(answer).toMatchObject({ code: 0, stderr: "" });
    expect(answer.lines).toEqual([expect.stringMatching(FINAL_LINE)]);
    expect(answer.lines[0]).toMatch(/^replayed order-view: [1-9]/);

    const { stored, replayed } = await withInfrastructure(dataDir, (infra) =>
      modelAndReplay(infra, orderViewProjection),
    );
    expect(stored).not.toHaveProperty("stray");
    expect(Object.keys(stored).length).toBeGreaterThan(0);
    expect(stored).toEqual(replayed);
    expect((await statusOf()).get("order-view")).toMatchObject({ lag: "0", caughtUp: true });
  });

  it("rebuild builds beside the live model and swaps it in, with a progress bar on a terminal", async () => {
    await plantStrayDocument(readModelName(availabilityProjection));
    const answer = await mebel(["projections", "rebuild", "availability"], env, { tty: true });
    expect(answer.code).toBe(0);
    expect(answer.lines).toEqual([expect.stringMatching(/^rebuilt availability: [1-9]/)]);
    expect(answer.lines[0]).toMatch(FINAL_LINE);
    expect(answer.stderr).toMatch(
      /rebuild availability \[.*\] 100% \| \d+ events \| \d+ events\/s/,
    );

    const { stored, replayed } = await withInfrastructure(dataDir, (infra) =>
      modelAndReplay(infra, availabilityProjection),
    );
    expect(stored).not.toHaveProperty("stray");
    expect(Object.keys(stored).sort()).toEqual(["LAMP-ARC", "SOFA-OSLO-3"]);
    expect(stored).toEqual(replayed);
    expect((await statusOf()).get("availability")).toMatchObject({ lag: "0", caughtUp: true });
  });

  it("skip parks one event for one subscriber, with who and why, and status counts it", async () => {
    const parked = await mebel(
      [
        "projections",
        "skip",
        "order-view",
        "--position",
        "2",
        "--reason",
        "written by a broken import",
        "--by",
        "olga",
      ],
      env,
    );
    expect(parked).toMatchObject({ code: 0, stderr: "" });
    expect(parked.stdout).toContain("parked position 2 for order-view.v5 (by olga)");
    const status = await statusOf();
    expect(status.get("order-view")).toMatchObject({ parked: 1 });
    expect(status.get("availability")).toMatchObject({ parked: 0 });
    await withInfrastructure(dataDir, async (infra) => {
      expect(await loadParked(infra.readModels, "order-view.v5")).toEqual([
        expect.objectContaining({
          position: "2",
          by: "olga",
          reason: "written by a broken import",
        }),
      ]);
    });
  });

  it("skip refuses what it cannot record: an unknown subscriber, no reason, a bad position", async () => {
    for (const argv of [
      ["skip", "no-such-view", "--position", "2", "--reason", "because"],
      ["skip", "order-view", "--position", "-2", "--reason", "because"],
      ["skip", "order-view", "--position", "2", "--reason", " "],
      ["skip", "order-view", "--reason", "because"],
    ]) {
      const answer = await mebel(["projections", ...argv], env);
      expect(answer.code, argv.join(" ")).toBe(2);
      expect(answer.stderr).not.toBe("");
    }
  });
});
