import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AllInOne,
  type AuthHeaders,
  call,
  DEMO_PASSWORD,
  eventually,
  signIn,
  signInStaff,
  signUp,
  startAllInOne,
} from "./test-process.js";

/** Collects a customer's server-sent events until closed; resolves once the stream is open. */
const listen = async (url: string) => {
  const controller = new AbortController();
  const events: Array<{ event: string; data: { status?: string } }> = [];
  const res = await fetch(url, { signal: controller.signal });
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const pump = async (): Promise<void> => {
    for (;;) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined)
          events.push({ event, data: JSON.parse(data) });
      }
    }
  };
  void pump().catch(() => undefined);
  return { events, close: () => controller.abort() };
};

describe("all services in one process, over real HTTP", () => {
  let app: AllInOne;
  let dataDir: string;
  let staff: Record<"warehouse" | "dispatcher" | "courier" | "catalog" | "admin", AuthHeaders>;
  /** Every password, token, ticket and cookie the journeys used: none may be in the logs. */
  const secrets: string[] = [];
  const bearerOf = (headers: AuthHeaders) => (headers.authorization ?? "").replace("Bearer ", "");

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "mebel-e2e-"));
    app = await startAllInOne(dataDir, {
      MEBEL_SWEEP_INTERVAL_MS: "200",
      MEBEL_DELIVERY_GRACE_MS: "60000",
      // Every line the services can write, for the last test to read.
      LOG_LEVEL: "trace",
    });
    staff = await signInStaff(app.site);
    secrets.push(DEMO_PASSWORD, ...Object.values(staff).map((h) => bearerOf(h)));
  }, 90_000);
  afterAll(async () => {
    await app?.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("carries an order from browsing to the door, the site told of every step as it happens", async () => {
    const { id: customer, headers: me } = await signUp(app.site, "Olga");
    secrets.push(bearerOf(me));
    const products = await call("GET", `${app.site}/products`);
    expect(products.status).toBe(200);
    expect(products.body.products.map((p: { sku: string }) => p.sku)).toContain("SOFA-OSLO-3");

    // A browser's EventSource sends no header: the feed takes a single-use ticket instead.
    const ticket = await call("POST", `${app.site}/auth/ticket`, undefined, me);
    expect(ticket.status).toBe(201);
    secrets.push(ticket.body.ticket);
    const feed = await listen(
      `${app.site}/customers/${customer}/events?ticket=${ticket.body.ticket}`,
    );
    const created = await call("POST", `${app.site}/customers/${customer}/orders`, {}, me);
    expect(created.status).toBe(201);
    const orderId: string = created.body.orderId;
    const orderUrl = `${app.site}/customers/${customer}/orders/${orderId}`;
    for (const [sku, quantity] of [
      ["SOFA-OSLO-3", 1],
      ["LAMP-ARC", 2],
    ] as const) {
      const added = await call("POST", `${orderUrl}/items`, { sku, quantity }, me);
      expect(added.status).toBe(201);
    }
    const placed = await call(
      "POST",
      `${orderUrl}/place`,
      { deliveryAddress: "Nevsky prospekt 28" },
      me,
    );
    expect(placed.status).toBe(200);
    expect(placed.body.total).toBe(89_900 + 2 * 15_900);

    const warehouseOrder = `${app.warehouse}/orders/${orderId}`;
    // The customer cannot move their order on in the warehouse: that is staff's.
    expect((await call("POST", `${warehouseOrder}/start-processing`, undefined, me)).status).toBe(
      403,
    );
    const asWarehouse = (step: string, body?: unknown) =>
      call("POST", `${warehouseOrder}/${step}`, body, staff.warehouse);
    // Each step waits for its push: two steps the view commits in one batch push once, the later.
    const pushedStatus = (status: string) =>
      eventually(
        async () => feed.events.filter((e) => e.event === "order").map((e) => e.data.status),
        (statuses) => statuses.includes(status),
        `pushed ${status}`,
      );
    await pushedStatus("placed");
    expect((await asWarehouse("start-processing")).status).toBe(200);
    await pushedStatus("processing");
    expect((await asWarehouse("mark-assembled")).status).toBe(200);

    // Nobody asks: "order assembled" reaches delivery, which requests and assigns by itself.
    const delivery = () =>
      call("GET", `${app.delivery}/deliveries/${orderId}`, undefined, staff.dispatcher);
    const assigned = await eventually(
      delivery,
      (r) => r.body?.status === "assigned",
      "delivery assignment",
    );
    const courierId: string = assigned.body.courierId;
    expect((await asWarehouse("hand-to-courier", { courierId })).status).toBe(200);
    await eventually(delivery, (r) => r.body?.status === "picked_up", "pick-up");
    // The demo's courier account is Anna: she completes her own deliveries, nobody else's.
    const completing = courierId === "anna" ? staff.courier : staff.admin;
    expect(
      (await call("POST", `${app.delivery}/deliveries/${orderId}/complete`, undefined, completing))
        .status,
    ).toBe(200);

    const view = await eventually(
      () => call("GET", orderUrl, undefined, me),
      (r) => r.body?.status === "delivered",
      "site order view",
    );
    expect(view.body.timeline.map((e: { type: string }) => e.type)).toEqual([
      "OrderCreated",
      "OrderItemAdded",
      "OrderItemAdded",
      "OrderPlaced",
      "OrderProcessingStarted",
      "OrderAssembled",
      "DeliveryRequested",
      "CourierAssigned",
      "OrderHandedToCourier",
      "DeliveryPickedUp",
      "DeliveryCompleted",
    ]);
    // Who did what: the role each step was taken in, the process managers as the system.
    expect(view.body.timeline.map((e: { by?: string }) => e.by)).toEqual([
      "customer",
      "customer",
      "customer",
      "customer",
      "warehouse",
      "warehouse",
      "system",
      "system",
      "warehouse",
      "system",
      courierId === "anna" ? "courier" : "admin",
    ]);
    const notes = await call(
      "GET",
      `${app.site}/customers/${customer}/notifications`,
      undefined,
      me,
    );
    expect(notes.body.map((n: { kind: string }) => n.kind)).toEqual(
      expect.arrayContaining([
        "placed",
        "processing",
        "assembled",
        "courier_assigned",
        "delivered",
      ]),
    );
    // Pushed, not polled: the stream saw the order walk through its statuses.
    await eventually(
      async () => feed.events.filter((e) => e.event === "order").map((e) => e.data.status),
      (statuses) => statuses.includes("delivered"),
      "pushed statuses",
    );
    const pushed = feed.events.filter((e) => e.event === "order").map((e) => e.data.status);
    for (const status of ["placed", "processing", "assembled", "delivered"])
      expect(pushed).toContain(status);
    feed.close();
  });

  it("sells 10 chairs to exactly 10 of 50 concurrent buyers; stock and reservations agree", async () => {
    const sku = `CHAIR-${randomUUID().slice(0, 6).toUpperCase()}`;
    expect(
      (
        await call(
          "POST",
          `${app.catalog}/products`,
          { sku, name: "Test chair", price: 5_000 },
          staff.catalog,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await call(
          "POST",
          `${app.warehouse}/stock/${sku}/receive`,
          { quantity: 10 },
          staff.warehouse,
        )
      ).status,
    ).toBe(200);
    const orders = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call("POST", `${app.warehouse}/orders`, { customerId: `buyer-${i}` }, staff.admin),
      ),
    );
    const answers = await Promise.all(
      orders.map((o) =>
        call(
          "POST",
          `${app.warehouse}/orders/${o.body.orderId}/items`,
          { sku, quantity: 1 },
          staff.admin,
        ),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(
      Array(40).fill("INSUFFICIENT_STOCK"),
    );
    const stock = await call("GET", `${app.warehouse}/stock/${sku}`);
    expect(stock.body).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
  });

  it("returns the stock when an order is cancelled, and a retried request writes nothing twice", async () => {
    const before = (await call("GET", `${app.warehouse}/stock/LAMP-ARC`)).body.available;
    const ivan = await signIn(app.site, "ivan@example.com");
    secrets.push(bearerOf(ivan));
    const order = await call("POST", `${app.warehouse}/orders`, { customerId: "ivan" }, ivan);
    const itemsUrl = `${app.warehouse}/orders/${order.body.orderId}/items`;
    const key = { "idempotency-key": randomUUID(), ...ivan };
    const first = await call("POST", itemsUrl, { sku: "LAMP-ARC", quantity: 3 }, key);
    const retry = await call("POST", itemsUrl, { sku: "LAMP-ARC", quantity: 3 }, key);
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await call("GET", `${app.warehouse}/stock/LAMP-ARC`)).body.available).toBe(before - 3);

    const cancelled = await call(
      "POST",
      `${app.warehouse}/orders/${order.body.orderId}/cancel`,
      { reason: "changed my mind" },
      ivan,
    );
    expect(cancelled.status).toBe(200);
    await eventually(
      () => call("GET", `${app.warehouse}/stock/LAMP-ARC`),
      (r) => r.body.available === before,
      "released stock",
    );
  });

  it("writes no password, token, ticket, cookie or Authorization header in any log line", async () => {
    const wrong = "a-wrong-password-typed-by-someone";
    expect(
      (await call("POST", `${app.site}/auth/login`, { email: "olga@example.com", password: wrong }))
        .status,
    ).toBe(401);
    const login = await call("POST", `${app.site}/auth/login`, {
      email: "olga@example.com",
      password: DEMO_PASSWORD,
    });
    const cookie = /mebel_refresh=([^;]*)/.exec(login.headers.get("set-cookie") ?? "")?.[1] ?? "";
    expect(cookie).not.toBe("");
    const refreshed = await call("POST", `${app.site}/auth/refresh`, undefined, {
      cookie: `mebel_refresh=${cookie}`,
    });
    expect(refreshed.status).toBe(200);
    secrets.push(wrong, cookie, login.body.accessToken, refreshed.body.accessToken);
    const logs = app.output();
    // The journeys above did log, at every level: this is not a test of silence.
    expect(logs).toContain('"msg":"request"');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(logs.includes(secret), `a secret of ${secret.length} characters is in the logs`).toBe(
        false,
      );
    }
    expect(logs).not.toMatch(/authorization|bearer |mebel_refresh|set-cookie/i);
  });
});
