import { describe, expect, it } from "vitest";
import { useSiteFixture } from "./test-support/site-fixture.js";

const shop = useSiteFixture();

const listing = async (query = "") => {
  const answer = await shop().request("GET", `/products${query}`);
  expect(answer.status).toBe(200);
  return answer.body;
};
const product = (body: { products: Array<{ sku: string }> }, sku: string) =>
  body.products.find((p) => p.sku === sku);

describe("GET /products", () => {
  it("lists the catalog with the view's availability, the live one and the view's lag", async () => {
    await shop().receiveStock("SOFA-OSLO-3", 5);
    await shop().settle();
    const caughtUp = await listing();
    expect(caughtUp.products.map((p: { sku: string }) => p.sku)).toEqual([
      "CHAIR-EAMES",
      "LAMP-ARC",
      "SOFA-OSLO-3",
    ]);
    expect(product(caughtUp, "SOFA-OSLO-3")).toEqual({
      sku: "SOFA-OSLO-3",
      name: "Oslo sofa",
      price: 89_900,
      available: 5,
      availableLive: 5,
    });
    expect(product(caughtUp, "CHAIR-EAMES")).toMatchObject({ available: 0, availableLive: 0 });
    expect(caughtUp.lag).toBe("0");
  });

  it("shows the live figure and the lag while the view trails, and catches up on restart (R1)", async () => {
    await shop().stopViews();
    await shop().receiveStock("SOFA-OSLO-3", 2);
    await shop().receiveStock("LAMP-ARC", 1);
    const trailing = await listing();
    expect(product(trailing, "SOFA-OSLO-3")).toMatchObject({ available: 5, availableLive: 7 });
    expect(product(trailing, "LAMP-ARC")).toMatchObject({ available: 0, availableLive: 1 });
    expect(trailing.lag).toBe("2");

    shop().startViews();
    await shop().settle();
    const resumed = await listing();
    expect(product(resumed, "SOFA-OSLO-3")).toMatchObject({ available: 7, availableLive: 7 });
    expect(resumed.lag).toBe("0");
  });

  it("pages the listing, checking live only the products on the page", async () => {
    const before = shop().warehouse.received.length;
    const page = await listing("?offset=1&limit=1");
    expect(page).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(page.products.map((p: { sku: string }) => p.sku)).toEqual(["LAMP-ARC"]);
    expect(
      shop()
        .warehouse.received.slice(before)
        .map((r) => r.path),
    ).toEqual(["/stock?sku=LAMP-ARC"]);
  });
});
