import { isoInstant } from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "./run.js";
import {
  capture,
  freshDataDir,
  mebel,
  removeDataDirs,
  withInfrastructure,
  writeHistory,
} from "./test-world.js";

let env: Record<string, string>;
let head: bigint;

beforeAll(async () => {
  const dataDir = freshDataDir();
  env = { MEBEL_DATA_DIR: dataDir };
  head = await withInfrastructure(dataDir, async (infra) => {
    // Three events on one StockItem stream, interleaved with other streams in the log.
    await writeHistory(infra, { skus: ["SOFA-OSLO-3", "LAMP-ARC"], orders: 1 });
    await writeHistory(infra, { skus: ["SOFA-OSLO-3"], orders: 1 });
    await writeHistory(infra, { skus: ["SOFA-OSLO-3"], orders: 0 });
    return (await infra.store.head()) ?? 0n;
  });
});
afterAll(removeDataDirs);

const SOFA = "StockItem-SOFA-OSLO-3";
/** `#position stream@revision time type data`, the human-readable form of an event. */
const LINE = /^#(\d+) (\S+)@(\d+) (\d{4}-\d\d-\d\dT[\d:.]+Z) (\w+) (\{.*\})$/;

const read = async (argv: ReadonlyArray<string>) => {
  const answer = await mebel(["streams", "read", ...argv], env);
  expect(answer).toMatchObject({ code: 0, stderr: "" });
  return answer.lines.map((line) => {
    const [, position, stream, revision] = LINE.exec(line) ?? [];
    return { position, stream, revision: Number(revision), line };
  });
};

const tail = async (argv: ReadonlyArray<string>) => {
  const answer = await mebel(["events", "tail", "--json", ...argv], env);
  expect(answer).toMatchObject({ code: 0, stderr: "" });
  return answer.lines.map((line) => JSON.parse(line));
};

describe("mebel streams read", () => {
  it("shows a stream's events in order, each with position, revision, time, type and data", async () => {
    const events = await read([SOFA]);
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
    expect(events.every((e) => e.stream === SOFA)).toBe(true);
    expect(events[0]?.line).toMatch(/ StockReceived \{"sku":"SOFA-OSLO-3","quantity":5\}$/);
  });

  it("reads backwards, from a revision, and at most --max events", async () => {
    expect((await read([SOFA, "--backwards"])).map((e) => e.revision)).toEqual([2, 1, 0]);
    expect((await read([SOFA, "--from", "1"])).map((e) => e.revision)).toEqual([1, 2]);
    expect((await read([SOFA, "--from", "1", "--backwards"])).map((e) => e.revision)).toEqual([
      1, 0,
    ]);
    expect((await read([SOFA, "--max", "2"])).map((e) => e.revision)).toEqual([0, 1]);
    expect((await read([SOFA, "--backwards", "--max", "1"])).map((e) => e.revision)).toEqual([2]);
  });

  it("writes JSON lines with --json", async () => {
    const answer = await mebel(["streams", "read", SOFA, "--json", "--max", "1"], env);
    expect(answer.lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        position: "1",
        stream: SOFA,
        revision: "0",
        type: "StockReceived",
        time: expect.stringMatching(/Z$/),
        data: { sku: "SOFA-OSLO-3", quantity: 5 },
      }),
    ]);
  });

  it("shows an event of an older version as today's code reads it, and the stored data in JSON", async () => {
    const dataDir = freshDataDir();
    const v1 = { orderId: "o-old", deliveryAddress: "Liteyny 10", total: 100 };
    await withInfrastructure(dataDir, (infra) =>
      infra.store.append(
        "Order-o-old",
        [
          {
            eventId: crypto.randomUUID(),
            type: "OrderPlaced",
            data: v1,
            metadata: { correlationId: "c", causationId: "c", occurredAt: isoInstant(new Date()) },
          },
        ],
        "any",
      ),
    );
    const oldEnv = { MEBEL_DATA_DIR: dataDir };
    const text = await mebel(["streams", "read", "Order-o-old"], oldEnv);
    expect(text.stdout).toContain("OrderPlaced (v1, shown as v2) {");
    expect(text.stdout).toContain('"line":"Liteyny 10"');
    const json = await mebel(["streams", "read", "Order-o-old", "--json"], oldEnv);
    expect(JSON.parse(json.lines[0] ?? "{}")).toMatchObject({
      schemaVersion: 1,
      stored: v1,
      data: { deliveryAddress: { line: "Liteyny 10", street: null } },
    });
  });

  it("prints nothing for a stream that does not exist, and exits 0", async () => {
    expect(await mebel(["streams", "read", "Order-nobody"], env)).toMatchObject({
      code: 0,
      stdout: "",
      stderr: "",
    });
  });
});

describe("mebel events tail", () => {
  it("shows the whole log in order", async () => {
    const events = await tail([]);
    expect(events.map((e) => BigInt(e.position))).toEqual(
      Array.from({ length: Number(head) }, (_, i) => BigInt(i + 1)),
    );
    const human = await mebel(["events", "tail"], env);
    expect(human.lines).toHaveLength(Number(head));
    expect(human.lines.every((line) => LINE.test(line))).toBe(true);
  });

  it("starts after --from, and keeps to the --category streams", async () => {
    expect((await tail(["--from", "3"])).map((e) => e.position)).toEqual(
      Array.from({ length: Number(head) - 3 }, (_, i) => String(i + 4)),
    );
    const stock = await tail(["--category", "StockItem"]);
    expect(stock.map((e) => e.stream)).toEqual([SOFA, "StockItem-LAMP-ARC", SOFA, SOFA]);
    const both = await tail(["--category", "StockItem", "--category", "Order", "--from", "2"]);
    expect(both).toHaveLength(Number(head) - 2);
    expect(await tail(["--category", "Delivery"])).toEqual([]);
  });

  it("with --follow, keeps printing until interrupted, then exits 0", async () => {
    const interrupt = new AbortController();
    const out = capture({ interrupt: interrupt.signal });
    let settled = false;
    const following = run(["events", "tail", "--follow", "--category", "Order"], env, out.io);
    void following.finally(() => {
      settled = true;
    });
    await vi.waitFor(() => expect(out.stdout().split("\n")).toHaveLength(3), { timeout: 20_000 });
    // Caught up, and still following.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(settled).toBe(false);
    interrupt.abort();
    expect(await following).toBe(0);
    expect(out.stderr()).toBe("");
    expect(out.stdout()).toMatch(/^(#\d+ Order-\S+@0 \S+ OrderCreated .*\n){2}$/);
  });

  it("with --from-end, shows only what comes next", async () => {
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 300);
    const answer = await mebel(["events", "tail", "--from-end", "--follow"], env, {
      interrupt: interrupt.signal,
    });
    expect(answer).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });
});
