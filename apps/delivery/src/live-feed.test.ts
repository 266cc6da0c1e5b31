import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { couriers, type Fixture, startFixture } from "./test-fixture.js";

let shop: Fixture;
beforeEach(async () => {
  shop = await startFixture({ couriers: couriers('[{"id":"anna","name":"Anna","capacity":3}]') });
});
afterEach(() => shop.close());

/** Reads a server-sent event stream as text, until `until` holds of what has come. */
const follow = async (headers: Record<string, string>) => {
  const controller = new AbortController();
  const res = await fetch(`${shop.url}/deliveries/live`, { headers, signal: controller.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const until = async (holds: (text: string) => boolean): Promise<string> => {
    while (!holds(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended with: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    return text;
  };
  return { res, until, close: () => controller.abort() };
};

describe("GET /deliveries/live", () => {
  it("tells the board a delivery changed once the board has it, without saying what", async () => {
    const feed = await follow(await shop.issuer.bearer("dispatch", ["dispatcher"]));
    expect(feed.res.headers.get("content-type")).toContain("text/event-stream");
    await feed.until((t) => t.includes(": ready"));
    await shop.assembledOrder("o-1");
    const text = await feed.until((t) => t.includes("event: changed"));
    expect(text).not.toContain("o-1");
    // What the client reads on being told: the board already shows the delivery.
    const board = (await (await shop.get("/deliveries")).json()) as {
      byCourier: Record<string, ReadonlyArray<{ orderId: string }>>;
    };
    expect(board.byCourier.anna?.map((e) => e.orderId)).toEqual(["o-1"]);
    feed.close();
  });

  it("is open to couriers, and refused to customers", async () => {
    const courier = await follow(await shop.issuer.bearer("anna-account", ["courier"], "anna"));
    await courier.until((t) => t.includes(": ready"));
    courier.close();
    const refused = await fetch(`${shop.url}/deliveries/live`, {
      headers: await shop.issuer.bearer("olga", ["customer"]),
    });
    expect(refused.status).toBe(403);
  });
});
