import { createTokenSigner } from "@mebel/adapter-http";
import { TEST_AUDIENCE, TEST_ISSUER } from "@mebel/adapter-http/testing";
import { CustomerId, unsafeDecode } from "@mebel/core";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { readEventStream } from "./test-support/event-stream-reader.js";
import { asOrderId, context, useSiteFixture } from "./test-support/site-fixture.js";

const asCustomerId = unsafeDecode(CustomerId);

const shop = useSiteFixture();
beforeAll(async () => {
  await shop().receiveStock("CHAIR-EAMES", 10);
});

describe("GET /customers/:customerId/events", () => {
  it("ends when the token that opened it expires", async () => {
    const { key } = shop().issuer;
    const sign = createTokenSigner({
      privateKey: key.privateKey,
      kid: key.kid,
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      ttlSeconds: 1,
    });
    const shortLived = await sign({ sub: asCustomerId("nina"), roles: ["customer"] });
    const stream = await readEventStream(`${shop().url}/customers/nina/events`, {
      authorization: `Bearer ${shortLived}`,
    });
    await stream.ready();
    expect(await stream.ended()).toContain("expired");
  });

  it("pushes the customer's order changes and notifications, and nothing of other customers'", async () => {
    const stream = await readEventStream(
      `${shop().url}/customers/vera/events`,
      await shop().bearer("vera"),
    );
    expect(stream.response.headers.get("content-type")).toContain("text/event-stream");
    await stream.ready();

    const others = await shop().createOrder("ivan");
    const mine = await shop().createOrder("vera");
    const created = await stream.waitFor((e) => e.event === "order" && e.data.orderId === mine);
    expect(created.data).toMatchObject({ customerId: "vera", status: "draft" });

    await shop().request("POST", `/customers/vera/orders/${mine}/items`, {
      sku: "CHAIR-EAMES",
      quantity: 1,
    });
    await shop().request("POST", `/customers/vera/orders/${mine}/place`, {
      deliveryAddress: "Birch lane 4",
    });
    await shop().bus.order({ type: "StartProcessing", orderId: asOrderId(mine) }, context)();
    await stream.waitFor((e) => e.event === "order" && e.data.status === "processing");
    const kinds = stream.events.filter((e) => e.event === "notification").map((e) => e.data.kind);
    expect(kinds).toEqual(["placed", "processing"]);

    // Ivan's order was created before Vera's: had it leaked, it would have arrived first.
    expect(stream.events.every((e) => e.data.orderId === mine)).toBe(true);
    expect(stream.events.some((e) => e.data.orderId === others)).toBe(false);
    await stream.close();
  });

  it("does not repeat notifications the customer had before connecting", async () => {
    const orderId = await shop().createOrder("lena");
    await shop().request("POST", `/customers/lena/orders/${orderId}/cancel`, {
      reason: "Changed mind",
    });
    await shop().settle();

    const stream = await readEventStream(
      `${shop().url}/customers/lena/events`,
      await shop().bearer("lena"),
    );
    await stream.ready();
    // A late delivery request changes the order's timeline but tells the customer nothing new.
    await shop().bus.delivery({ type: "RequestDelivery", orderId: asOrderId(orderId) }, context)();
    await stream.waitFor((e) => e.event === "order" && e.data.orderId === orderId);
    expect(stream.events.filter((e) => e.event === "notification")).toEqual([]);
    await stream.close();
  });

  it("unsubscribes from the change feed when the client goes away", async () => {
    await vi.waitFor(() => expect(shop().listeners()).toBe(0), { timeout: 2_000 });
    const streams = await Promise.all(
      ["a1", "a2"].map(async (c) =>
        readEventStream(`${shop().url}/customers/${c}/events`, await shop().bearer(c)),
      ),
    );
    await Promise.all(streams.map((s) => s.ready()));
    expect(shop().listeners()).toBe(2);
    await Promise.all(streams.map((s) => s.close()));
    await vi.waitFor(() => expect(shop().listeners()).toBe(0), { timeout: 2_000 });
  });
});
