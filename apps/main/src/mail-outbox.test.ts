import { randomUUID } from "node:crypto";
import {
  createMemoryAccountStore,
  createMemoryEventStore,
  createMemoryLocks,
  createMemoryOutbox,
  createMemoryReadModelStore,
  manualClock,
  systemClock,
} from "@mebel/adapter-memory";
import {
  connectPg,
  createPostgresStores,
  createTestDatabase,
  openPglite,
  type SqlClient,
} from "@mebel/adapter-postgres";
import { type MailSink, smtpTransport, startMailSink } from "@mebel/adapter-smtp";
import {
  type Account,
  type AccountStore,
  defaultMailRetry,
  domainEvents,
  type EventStore,
  type IsoInstant,
  type Language,
  type Locks,
  MAIL_SENDER,
  type MailKind,
  mailPreferencesStream,
  messageIdOf,
  type Outbox,
  type ReadModelStore,
  type RunningMailWorker,
  type RunningSubscriber,
  resendMail,
  silentLogger,
  startMailSender,
  startMailWorker,
} from "@mebel/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { customerAccount } from "../../../core/src/test-support/accounts.js";

interface Stores {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly outbox: Outbox;
  readonly accounts: AccountStore;
  readonly locks: Locks;
  readonly close: () => Promise<void>;
}

/** Each kind of store opened once per suite; each test gets fresh stores on it (a new schema). */
interface Kind {
  readonly open: () => Promise<Stores>;
  readonly close: () => Promise<void>;
}

const memory = async (): Promise<Kind> => ({
  open: async () => {
    const readModels = createMemoryReadModelStore();
    return {
      store: createMemoryEventStore(),
      readModels,
      outbox: createMemoryOutbox(readModels),
      accounts: createMemoryAccountStore(),
      locks: createMemoryLocks(),
      close: async () => {},
    };
  },
  close: async () => {},
});

const onClient = (client: SqlClient, after: () => Promise<void> = async () => {}): Kind => ({
  open: async () => {
    const schema = `mail_${randomUUID().slice(0, 8)}`;
    const s = await createPostgresStores({
      client,
      schema,
      pollIntervalMs: 20,
      closeClient: false,
    });
    return {
      store: s.eventStore,
      readModels: s.readModels,
      outbox: s.outbox,
      accounts: s.accounts,
      locks: s.locks,
      close: s.close,
    };
  },
  close: async () => {
    await client.close();
    await after();
  },
});

const kinds: ReadonlyArray<[string, () => Promise<Kind>]> = [
  ["memory", memory],
  ["PGlite", async () => onClient(await openPglite())],
  [
    "PostgreSQL",
    async () => {
      const database = await createTestDatabase();
      return onClient(connectPg(database.url, { max: 3 }), database.drop);
    },
  ],
];

const FROM = "Mebel <shop@mebel.example>";

const account = (id: string, email: string, name: string, language?: Language): Account =>
  customerAccount(id, { email, name, ...(language === undefined ? {} : { language }) });

const appendTo = async (
  store: EventStore,
  stream: string,
  type: string,
  data: object,
): Promise<string> => {
  const eventId = randomUUID();
  const result = await store.append(
    stream,
    [
      {
        eventId,
        type,
        data,
        metadata: {
          correlationId: "c",
          causationId: "c",
          occurredAt: "2026-03-02T10:15:00.000Z" as IsoInstant,
          schemaVersion: domainEvents.has(type) ? domainEvents.versionOf(type) : 1,
        },
      },
    ],
    "any",
  );
  if (result._tag === "Left") throw new Error("append refused");
  return eventId;
};

const address = {
  street: "Nevsky prospekt 28",
  city: "St Petersburg",
  postalCode: "191186",
  country: "RU",
  line: null,
};

/** An order's whole life, event by event, each returning the id of the event that tells it. */
const journey = (store: EventStore, orderId: string, customerId: string) => {
  const order = (type: string, data: object = {}) =>
    appendTo(store, `Order-${orderId}`, type, { orderId, ...data });
  const delivery = (type: string, data: object = {}) =>
    appendTo(store, `Delivery-${orderId}`, type, { orderId, ...data });
  return {
    created: () => order("OrderCreated", { customerId }),
    item: () =>
      order("OrderItemAdded", {
        lineId: "l-1",
        sku: "SOFA-OSLO-3",
        quantity: 1,
        unitPrice: 121700,
      }),
    placed: () => order("OrderPlaced", { deliveryAddress: address, total: 121700 }),
    assembled: () => order("OrderAssembled"),
    requested: () => delivery("DeliveryRequested"),
    assigned: () =>
      delivery("CourierAssigned", {
        courierId: "anna",
        window: { from: "2026-03-03T07:00:00.000Z", to: "2026-03-03T11:00:00.000Z" },
      }),
    handedOver: () =>
      order("OrderHandedToCourier", {
        courierId: "anna",
        lines: [{ lineId: "l-1", sku: "SOFA-OSLO-3", quantity: 1 }],
      }),
    pickedUp: () => delivery("DeliveryPickedUp", { courierId: "anna" }),
    delivered: () => delivery("DeliveryCompleted", { courierId: "anna" }),
    cancelled: (reason: string) => order("OrderCancelled", { reason, lines: [] }),
  };
};

describe.each(kinds)("mail through the outbox on %s", (_name, setUp) => {
  let kind: Kind;
  let stores: Stores;
  let sink: MailSink;
  let sender: RunningSubscriber | undefined;
  let worker: RunningMailWorker | undefined;
  let transport: ReturnType<typeof smtpTransport> | undefined;

  beforeAll(async () => {
    kind = await setUp();
  });
  afterAll(() => kind.close());

  beforeEach(async () => {
    stores = await kind.open();
    sink = await startMailSink();
    await stores.accounts.create(account("olga", "olga@example.com", "Ольга", "ru"));
    await stores.accounts.create(account("ivan", "ivan@example.com", "Ivan <Jr>", "en"));
    await stores.accounts.create(account("nobody", "nobody@example.com", "Nobody"));
  });

  afterEach(async () => {
    await worker?.stop();
    await sender?.stop();
    transport?.close();
    worker = undefined;
    sender = undefined;
    await sink.close();
    await stores.close();
  });

  const start = () => {
    transport = smtpTransport(sink.smtpUrl, { timeoutMs: 5_000 });
    const deps = { clock: systemClock, locks: stores.locks };
    worker = startMailWorker({
      ...deps,
      outbox: stores.outbox,
      transport,
      pollMs: 20,
      retry: { maxAttempts: 30, baseDelayMs: 10, maxDelayMs: 40 },
    });
    const running = worker;
    sender = startMailSender({
      ...deps,
      store: stores.store,
      readModels: stores.readModels,
      outbox: stores.outbox,
      accounts: stores.accounts,
      from: FROM,
      onRecorded: () => running.wake(),
    });
  };

  const settled = (count: number) =>
    vi.waitFor(
      async () => {
        const stats = await stores.outbox.stats(new Date());
        expect(
          stats.sent + stats.failed,
          JSON.stringify([stats, sender?.status(), worker?.status()], (_k, v) =>
            typeof v === "bigint" ? String(v) : v,
          ),
        ).toBe(count);
        expect(stats.depth).toBe(0);
      },
      { timeout: 20_000, interval: 25 },
    );

  it("a whole journey yields exactly the expected messages, in order, in each customer's language", async () => {
    const olga = journey(stores.store, "o-1", "olga");
    const ivan = journey(stores.store, "o-2", "ivan");
    await olga.created();
    await olga.item();
    const placed = await olga.placed();
    await ivan.created();
    await ivan.placed();
    await olga.assembled();
    await olga.requested();
    await olga.assigned();
    await ivan.cancelled("out of <b>stock</b> & sorry");
    await olga.handedOver();
    await olga.pickedUp();
    await olga.delivered();
    start();
    await settled(7);

    const mail = sink.messages();
    const to = (who: string) => mail.filter((m) => m.to.includes(who)).map((m) => m.subject);
    expect(to("olga@example.com")).toEqual([
      "Заказ o-1 принят",
      "Заказ o-1 собран",
      "Курьер назначен: заказ o-1",
      "Заказ o-1 в пути",
      "Заказ o-1 доставлен",
    ]);
    expect(to("ivan@example.com")).toEqual(["Order o-2 placed", "Order o-2 cancelled"]);
    expect(mail).toHaveLength(7);
    expect(sink.deliveries()).toHaveLength(7);

    const first = mail[0];
    expect(first?.messageId).toBe(messageIdOf(placed, FROM));
    expect(first?.from).toContain("shop@mebel.example");
    expect(first?.text).toContain("Здравствуйте, Ольга!");
    // Money and instants in the customer's language: 1 217,00 ₽, 2 марта 2026 г., Moscow time.
    expect(first?.text).toMatch(/1\s217,00\s₽/);
    expect(first?.text).toContain("2 марта 2026");
    expect(first?.text).toContain("13:15");
    const assigned = mail.find((m) => m.subject === "Курьер назначен: заказ o-1");
    expect(assigned?.text).toContain("Ваш курьер anna приедет 3 марта с 10:00 до 14:00.");
    const cancelled = mail.find((m) => m.subject === "Order o-2 cancelled");
    expect(cancelled?.text).toContain("Hello Ivan <Jr>,");
    expect(cancelled?.text).toContain("out of <b>stock</b> & sorry");
    expect(cancelled?.html).toContain("Ivan &lt;Jr&gt;");
    expect(cancelled?.html).toContain("out of &lt;b&gt;stock&lt;/b&gt; &amp; sorry");
    expect(cancelled?.html).not.toContain("<b>stock</b>");
    const placedForIvan = mail.find((m) => m.subject === "Order o-2 placed");
    expect(placedForIvan?.text).toContain("RUB 1,217.00");
    expect(placedForIvan?.text).toContain("2 March 2026");
  });

  it("sends nothing of a kind the customer turned off, and the rest as usual", async () => {
    await appendTo(stores.store, mailPreferencesStream("olga" as never), "EmailPreferenceChanged", {
      customerId: "olga",
      kind: "assembled" satisfies MailKind,
      enabled: false,
    });
    const olga = journey(stores.store, "o-3", "olga");
    await olga.created();
    await olga.placed();
    await olga.assembled();
    await olga.handedOver();
    start();
    await settled(2);
    expect(sink.messages().map((m) => m.subject)).toEqual(["Заказ o-3 принят", "Заказ o-3 в пути"]);
  });

  it("a server refusing for a while (4xx), then accepting: every message arrives once, in order", async () => {
    let refusals = 0;
    sink.answer(() => {
      if (refusals >= 6) return "accept";
      refusals += 1;
      return { code: 451, message: "Try again later" };
    });
    const olga = journey(stores.store, "o-4", "olga");
    const ivan = journey(stores.store, "o-5", "ivan");
    await olga.created();
    await ivan.created();
    await olga.placed();
    await ivan.placed();
    await olga.assembled();
    await ivan.assembled();
    start();
    await settled(4);
    expect(refusals).toBe(6);
    expect(sink.deliveries()).toHaveLength(4);
    expect(sink.messages().every((m) => m.copies === 1)).toBe(true);
    expect(
      sink
        .messages()
        .filter((m) => m.to.includes("olga@example.com"))
        .map((m) => m.subject),
    ).toEqual(["Заказ o-4 принят", "Заказ o-4 собран"]);
    const stats = await stores.outbox.stats(new Date());
    expect(stats).toMatchObject({
      sent: 4,
      failed: 0,
      depth: 0,
      retried: 6,
      oldestPendingAgeMs: null,
    });
  });

  it("a permanently refused address ends failed, with the reason, and others' mail goes through", async () => {
    await stores.accounts.create(account("gone", "gone@example.com", "Gone", "en"));
    sink.answer((to) =>
      to === "gone@example.com" ? { code: 550, message: "No such mailbox" } : "accept",
    );
    const gone = journey(stores.store, "o-6", "gone");
    const olga = journey(stores.store, "o-7", "olga");
    await gone.created();
    await olga.created();
    await gone.placed();
    await olga.placed();
    await gone.assembled();
    await olga.assembled();
    start();
    await settled(4);
    expect(sink.messages().map((m) => m.subject)).toEqual(["Заказ o-7 принят", "Заказ o-7 собран"]);
    const stats = await stores.outbox.stats(new Date());
    expect(stats).toMatchObject({ sent: 2, failed: 2, depth: 0 });
    const failures = await stores.outbox.failures(10);
    expect(failures.map((f) => [f.orderId, f.kind, f.attempts])).toEqual([
      ["o-6", "assembled", 1],
      ["o-6", "placed", 1],
    ]);
    expect(failures[0]?.error).toMatch(/^550 .*No such mailbox/);
  });

  it("a replay from the start records nothing twice: each event's message is sent once", async () => {
    const olga = journey(stores.store, "o-8", "olga");
    await olga.created();
    await olga.placed();
    await olga.assembled();
    start();
    await settled(2);
    await sender?.stop();
    await worker?.stop();
    transport?.close();
    await stores.readModels.reset(MAIL_SENDER);
    start();
    await (sender as RunningSubscriber).waitUntil((await stores.store.head()) as bigint);
    await settled(2);
    expect(sink.deliveries()).toHaveLength(2);
  });

  it("two workers on one outbox: the lock lets one send, and each message arrives once", async () => {
    const olga = journey(stores.store, "o-9", "olga");
    const ivan = journey(stores.store, "o-10", "ivan");
    await olga.created();
    await ivan.created();
    await olga.placed();
    await ivan.placed();
    await olga.assembled();
    start();
    const other = smtpTransport(sink.smtpUrl, { timeoutMs: 5_000 });
    const second = startMailWorker({
      clock: systemClock,
      locks: stores.locks,
      outbox: stores.outbox,
      transport: other,
      pollMs: 20,
    });
    try {
      await settled(3);
      expect(sink.deliveries()).toHaveLength(3);
      expect([worker?.status().state, second.status().state].sort()).toEqual([
        "running",
        "standby",
      ]);
    } finally {
      await second.stop();
      other.close();
    }
  });

  it("a failed message sent again by staff arrives once, same Message-ID, and its history says who and why", async () => {
    let refusing = true;
    sink.answer((to) =>
      refusing && to === "olga@example.com" ? { code: 552, message: "Mailbox full" } : "accept",
    );
    const olga = journey(stores.store, "o-11", "olga");
    await olga.created();
    const placed = await olga.placed();
    start();
    await settled(1);
    expect(await stores.outbox.stats(new Date())).toMatchObject({ failed: 1, sent: 0 });
    const resend = resendMail({
      outbox: stores.outbox,
      accounts: stores.accounts,
      clock: systemClock,
    });

    refusing = false;
    const resent = await resend({ id: placed, by: "admin-1", reason: "she emptied her mailbox" });
    expect(resent._tag).toBe("Right");
    // Pending again at once: no longer counted failed, and the worker is told.
    expect(await stores.outbox.stats(new Date())).toMatchObject({ failed: 0, depth: 1 });
    worker?.wake();
    await settled(1);
    expect(await stores.outbox.stats(new Date())).toMatchObject({ failed: 0, sent: 1, depth: 0 });
    expect(sink.messages().map((m) => [m.messageId, m.to, m.copies])).toEqual([
      [messageIdOf(placed, FROM), ["olga@example.com"], 1],
    ]);
    expect(await stores.outbox.find(placed)).toMatchObject({ status: "sent", attempts: 1 });

    // Sent now: a second resend is refused, and a message that is not there is not found.
    const again = await resend({ id: placed, by: "admin-1", reason: "once more" });
    expect(again._tag === "Left" && again.left.code).toBe("MAIL_NOT_FAILED");
    const unknown = await resend({ id: "no-such-event", by: "admin-1", reason: "why not" });
    expect(unknown._tag === "Left" && unknown.left.code).toBe("MAIL_NOT_FOUND");

    // Failing again later, its history keeps the first resend.
    refusing = true;
    const assembled = await olga.assembled();
    await settled(2);
    await resend({ id: assembled, by: "admin-2", reason: "first try" });
    worker?.wake();
    await settled(2);
    const [failed] = await stores.outbox.failures(10);
    expect(failed).toMatchObject({
      id: assembled,
      customerId: "olga",
      attempts: 1,
      resends: [
        {
          by: "admin-2",
          reason: "first try",
          previousAttempts: 1,
          addressChanged: false,
        },
      ],
    });
    expect(failed?.resends[0]?.previousError).toMatch(/^552 .*Mailbox full/);
  });

  it("a server that only ever says 'try later': the worker backs off with jitter, gives up after its attempts, and others' mail goes on", async () => {
    // No waiting: the worker's clock moves as it sleeps, from now (when the rows say they are
    // due), and lets the rest of the process run between its naps as a real sleep would.
    const manual = manualClock(new Date(Date.now() + 1_000));
    // It looks for due mail every five minutes of its own time: fewer rounds to run through.
    const NAP_MS = 300_000;
    const clock = {
      now: manual.now,
      sleep: async (ms: number) => {
        manual.advance(ms);
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const olgaTries: number[] = [];
    const planned: number[] = [];
    let ivanAt: number | undefined;
    sink.answer((to) => {
      if (to !== "olga@example.com") {
        ivanAt ??= clock.now().getTime();
        return "accept";
      }
      olgaTries.push(clock.now().getTime());
      return { code: 451, message: "Greylisted, try again later" };
    });
    const olga = journey(stores.store, "o-12", "olga");
    const ivan = journey(stores.store, "o-13", "ivan");
    await olga.created();
    await ivan.created();
    await olga.placed();
    await ivan.placed();
    sender = startMailSender({
      clock: systemClock,
      store: stores.store,
      readModels: stores.readModels,
      outbox: stores.outbox,
      accounts: stores.accounts,
      from: FROM,
    });
    await vi.waitFor(async () => expect((await stores.outbox.stats(new Date())).depth).toBe(2));
    transport = smtpTransport(sink.smtpUrl, { timeoutMs: 5_000 });
    worker = startMailWorker({
      outbox: stores.outbox,
      transport,
      clock,
      random,
      pollMs: NAP_MS,
      logger: {
        ...silentLogger,
        warn: (fields) => {
          if (typeof fields.nextAttemptAt === "string")
            planned.push(Date.parse(fields.nextAttemptAt));
        },
      },
    });
    await settled(2);

    expect(olgaTries).toHaveLength(defaultMailRetry.maxAttempts);
    // Ivan's mail went at the first round, not after Olga's server made up its mind.
    expect(ivanAt).toBeLessThan(olgaTries[1] as number);
    expect(sink.messages().map((m) => m.subject)).toEqual(["Order o-13 placed"]);
    // Each refusal names the next attempt: a base delay or more, at most the cap, jittered.
    expect(planned).toHaveLength(defaultMailRetry.maxAttempts - 1);
    const delays = planned.map((at, i) => at - (olgaTries[i] as number));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(defaultMailRetry.baseDelayMs);
      expect(delay).toBeLessThanOrEqual(defaultMailRetry.maxDelayMs);
    }
    expect(new Set(delays).size).toBeGreaterThan(delays.length / 2);
    // And it is kept: never tried before it is due, nor long after (one nap of the worker).
    planned.forEach((at, i) => {
      const tried = olgaTries[i + 1] as number;
      expect(tried).toBeGreaterThanOrEqual(at);
      expect(tried - at).toBeLessThanOrEqual(NAP_MS);
    });
    expect((olgaTries.at(-1) as number) - (olgaTries[0] as number)).toBeGreaterThan(86_400_000);

    const stats = await stores.outbox.stats(clock.now());
    expect(stats).toMatchObject({ sent: 1, failed: 1, depth: 0, retried: 59 });
    const [failed] = await stores.outbox.failures(10);
    expect(failed).toMatchObject({ orderId: "o-12", kind: "placed", attempts: 60 });
    expect(failed?.error).toMatch(/^gave up after 60 attempts: 451 .*Greylisted/);
  }, 60_000);
});
