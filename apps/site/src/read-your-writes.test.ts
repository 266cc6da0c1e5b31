import { appendedAt } from "@mebel/adapter-http/testing";
import { describe, expect, it } from "vitest";
import { useSiteFixture } from "./test-support/site-fixture.js";

const shop = useSiteFixture();
const ADDRESS = {
  deliveryAddress: { street: "Main street 1", city: "Oslo", postalCode: "0150", country: "NO" },
};

/** A customer's draft with one line, written while the views are running. */
const draftOf = async (customerId: string): Promise<string> => {
  const orderId = await shop().createOrder(customerId);
  const added = await shop().request("POST", `/customers/${customerId}/orders/${orderId}/items`, {
    sku: "LAMP-ARC",
    quantity: 1,
  });
  expect(added.status).toBe(201);
  await shop().settle();
  return orderId;
};

describe("read-your-writes", () => {
  it("answers every command with the position of what it appended, in the header and the body", async () => {
    await shop().receiveStock("LAMP-ARC", 20);
    const orderId = await shop().createOrder("vera");
    const added = await shop().request("POST", `/customers/vera/orders/${orderId}/items`, {
      sku: "LAMP-ARC",
      quantity: 1,
    });
    expect(BigInt(appendedAt(added))).toBe(await shop().store.head());
    expect(added.body.position).toBe(appendedAt(added));
  });

  it("gives a replay by Idempotency-Key the first answer's position again", async () => {
    const orderId = await draftOf("nina");
    const key = { "idempotency-key": "nina-places" };
    const placed = await shop().request(
      "POST",
      `/customers/nina/orders/${orderId}/place`,
      ADDRESS,
      key,
    );
    const head = await shop().store.head();
    const replayed = await shop().request(
      "POST",
      `/customers/nina/orders/${orderId}/place`,
      ADDRESS,
      key,
    );
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.body.position).toBe(appendedAt(placed));
    expect(appendedAt(replayed)).toBe(appendedAt(placed));
    expect(await shop().store.head()).toBe(head);
  });

  it("waits for a slowed view to reach the position, and shows the write, not the state before", async () => {
    const orderId = await draftOf("olga");
    // The projection is held back: the site's views stop before the order is placed.
    await shop().stopViews();
    const placed = await shop().request("POST", `/customers/olga/orders/${orderId}/place`, ADDRESS);
    expect(placed.status).toBe(200);
    // What the body says is what a read waits for: the same as the header.
    const { position } = placed.body;
    expect(position).toBe(appendedAt(placed));

    // Without a minimum position the view answers as it is: the draft, from before the write.
    const stale = await shop().request("GET", `/customers/olga/orders/${orderId}`);
    expect(stale.body.status).toBe("draft");

    const reading = shop().request("GET", `/customers/olga/orders/${orderId}`, undefined, {
      "mebel-min-position": position,
    });
    setTimeout(() => shop().startViews(), 300);
    const fresh = await reading;
    expect(fresh.status).toBe(200);
    expect(fresh.body.status).toBe("placed");
  });

  it("answers 503 with Retry-After and the lag when the view does not get there in time", async () => {
    const orderId = await draftOf("boris");
    await shop().stopViews();
    try {
      const placed = await shop().request(
        "POST",
        `/customers/boris/orders/${orderId}/place`,
        ADDRESS,
      );
      const position = placed.headers.get("mebel-position") ?? "";
      const behind = await shop().request("GET", "/customers/boris/orders", undefined, {
        "mebel-min-position": position,
      });
      expect(behind.status).toBe(503);
      expect(behind.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(behind.body).toMatchObject({
        code: "VIEW_BEHIND",
        details: { minPosition: position },
      });
      expect(BigInt(behind.body.details.behind)).toBeGreaterThan(0n);
    } finally {
      shop().startViews();
      await shop().settle();
    }
  });

  it("refuses a minimum position that is not one", async () => {
    for (const bad of ["-1", "1.5", "abc", "1e3"]) {
      const answer = await shop().request("GET", "/customers/olga/orders", undefined, {
        "mebel-min-position": bad,
      });
      expect(answer.status, bad).toBe(400);
      expect(answer.body.code).toBe("INVALID_REQUEST");
    }
    const query = await shop().request("GET", "/customers/olga/orders?minPosition=x");
    expect(query.status).toBe(400);
  });
});
