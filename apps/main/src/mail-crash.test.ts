import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@mebel/adapter-postgres";
import { type MailSink, startMailSink } from "@mebel/adapter-smtp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AllInOne, call, eventually, signUp, startAllInOne } from "./test-process.js";
import { initialiseCluster } from "./test-support/data-dir.js";

/** A customer signs up and places an order: one message (order placed) is due to them. */
const placeAnOrder = async (app: AllInOne): Promise<string> => {
  const customer = await signUp(app.site, "Crash Test");
  const base = `${app.site}/customers/${customer.id}/orders`;
  const order = await call("POST", base, undefined, customer.headers);
  expect(order.status).toBe(201);
  const { orderId } = order.body;
  const item = await call(
    "POST",
    `${base}/${orderId}/items`,
    { sku: "LAMP-ARC", quantity: 1 },
    customer.headers,
  );
  expect(item.status).toBe(201);
  // The answer may never come: the service is meant to die on the way.
  await call(
    "POST",
    `${base}/${orderId}/place`,
    {
      deliveryAddress: {
        street: "Nevsky prospekt 28",
        city: "St Petersburg",
        postalCode: "191186",
        country: "RU",
      },
    },
    customer.headers,
  ).catch(() => undefined);
  return orderId;
};

const dead = (app: AllInOne) =>
  eventually(
    async () => app.alive(),
    (alive) => !alive,
    `killed (${app.output()})`,
    60_000,
  );

const outboxOf = async (app: AllInOne) => (await call("GET", `${app.site}/health`)).body.outbox;

/** Each test on fresh stores: an embedded data folder, or a database of its own. */
const modes: ReadonlyArray<
  [string, () => Promise<Record<string, string>>, (dataDir: string) => Promise<unknown>]
> = [
  ["PGlite", async () => ({}), initialiseCluster],
  [
    "PostgreSQL",
    async () => {
      database = await createTestDatabase();
      return { EVENTSTORE_URL: database.url };
    },
    async () => {},
  ],
];
let database: TestDatabase | undefined;

describe.each(modes)("kill -9 on the outbox's path, on %s", (_name, modeEnv, prepareDataDir) => {
  let sink: MailSink;
  let dataDir: string;
  let env: Record<string, string>;
  let running: AllInOne | undefined;

  beforeEach(async () => {
    sink = await startMailSink();
    dataDir = mkdtempSync(join(tmpdir(), "mebel-mail-crash-"));
    await prepareDataDir(dataDir);
    env = { ...(await modeEnv()), MEBEL_SMTP_URL: sink.smtpUrl, MEBEL_MAIL_POLL_MS: "50" };
  });
  afterEach(async () => {
    if (running?.alive()) await running.kill("SIGTERM");
    running = undefined;
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
    database = undefined;
  });

  it("between recording and sending: after a restart the message is sent, once", async () => {
    const first = await startAllInOne(dataDir, { ...env, MEBEL_TEST_MAIL_FAULT: "after-record" });
    const orderId = await placeAnOrder(first);
    await dead(first);
    expect(sink.deliveries()).toEqual([]);

    running = await startAllInOne(dataDir, env);
    const second = running;
    await eventually(
      async () => (await outboxOf(second))?.sent,
      (sent) => sent >= 1,
      "sent",
      60_000,
    );
    const [mail, ...more] = sink.messages();
    expect(more).toEqual([]);
    expect(mail?.subject).toBe(`Заказ ${orderId} принят`);
    expect(sink.deliveries()).toHaveLength(1);
    expect(await outboxOf(second)).toMatchObject({ depth: 0, sent: 1, failed: 0 });
  }, 180_000);

  it("between sending and marking sent: the copy sent again carries the same Message-ID", async () => {
    const first = await startAllInOne(dataDir, { ...env, MEBEL_TEST_MAIL_FAULT: "after-send" });
    const orderId = await placeAnOrder(first);
    await dead(first);
    expect(sink.deliveries()).toHaveLength(1);

    running = await startAllInOne(dataDir, env);
    const second = running;
    await eventually(
      async () => (await outboxOf(second))?.sent,
      (sent) => sent >= 1,
      "sent",
      60_000,
    );
    // Delivered twice, known for one: a receiver (this sink, a mail client) shows it once.
    const [id] = sink.deliveries();
    expect(sink.deliveries()).toEqual([id, id]);
    const [mail, ...more] = sink.messages();
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ messageId: id, subject: `Заказ ${orderId} принят`, copies: 2 });
    expect(await outboxOf(second)).toMatchObject({ depth: 0, sent: 1, failed: 0 });
  }, 180_000);
});

describe("the embedded demo without an SMTP server", () => {
  it("keeps customers' mail in a development sink and says where to read it", async () => {
    const dataDir = await initialiseCluster(mkdtempSync(join(tmpdir(), "mebel-mail-demo-")));
    const app = await startAllInOne(dataDir, { MEBEL_MAIL_SINK_PORT: "0" });
    try {
      const url = /read it at (http:\/\/\S+)/.exec(app.output())?.[1];
      expect(url).toBeDefined();
      const orderId = await placeAnOrder(app);
      const page = await eventually(
        async () => (await fetch(url as string)).text(),
        (html) => html.includes(`Заказ ${orderId} принят`),
        "the mail on the sink's page",
        60_000,
      );
      expect(page).toContain("Mail sent by this demo (1)");
      expect(await outboxOf(app)).toMatchObject({ depth: 0, sent: 1, failed: 0, retried: 0 });
    } finally {
      await app.kill("SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
