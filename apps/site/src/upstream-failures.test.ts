import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadUrl, startGarbageServer, startHangingServer } from "./test-support/broken-servers.js";
import { type Answer, useSiteFixture } from "./test-support/site-fixture.js";

const expectProblem = (answer: Answer, status: number, code: string) => {
  expect(answer.status).toBe(status);
  expect(answer.headers.get("content-type")).toContain("application/problem+json");
  expect(answer.body.code).toBe(code);
};

/** A broken server for the tests of a describe block; registered before the fixture that uses it. */
const useServer = (start: () => Promise<{ url: string; close: () => Promise<void> }>) => {
  let url = "";
  let close = async (): Promise<void> => {};
  beforeAll(async () => {
    ({ url, close } = await start());
  });
  afterAll(() => close());
  return () => url;
};

describe("a warehouse that cannot be reached", () => {
  const shop = useSiteFixture(async () => ({ warehouseUrl: await deadUrl() }));

  it("answers commands with 503, and still lists products without the live figures", async () => {
    expectProblem(
      await shop().request("POST", "/customers/olga/orders"),
      503,
      "UPSTREAM_UNAVAILABLE",
    );
    // The ownership check asks the warehouse too, as the view does not know the order.
    expectProblem(
      await shop().request("POST", "/customers/olga/orders/some-order/place", {
        deliveryAddress: "Main street 1",
      }),
      503,
      "UPSTREAM_UNAVAILABLE",
    );
    const listing = await shop().request("GET", "/products");
    expect(listing.status).toBe(200);
    expect(listing.body.products[0]).toMatchObject({ available: 0, availableLive: null });
  });
});

describe("a catalog that cannot be reached", () => {
  const shop = useSiteFixture(async () => ({ catalogUrl: await deadUrl() }));

  it("answers the listing with 503", async () => {
    const answer = await shop().request("GET", "/products");
    expectProblem(answer, 503, "UPSTREAM_UNAVAILABLE");
    expect(answer.body.details).toEqual({ service: "catalog" });
  });
});

describe("a warehouse that does not answer in time", () => {
  const hanging = useServer(startHangingServer);
  const shop = useSiteFixture(() => ({ warehouseUrl: hanging(), timeoutMs: 150 }));

  it("gives up after the timeout with a 503", async () => {
    const started = Date.now();
    const answer = await shop().request("POST", "/customers/olga/orders");
    expectProblem(answer, 503, "UPSTREAM_UNAVAILABLE");
    expect(answer.body.detail).toContain("150 ms");
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("services that fail", () => {
  const shop = useSiteFixture();

  it("turns the warehouse's 5xx into 502 (503 stays 503), never a 500", async () => {
    shop().warehouse.failWith(500);
    expectProblem(await shop().request("POST", "/customers/olga/orders"), 502, "BAD_GATEWAY");
    shop().warehouse.failWith(503);
    const unavailable = await shop().request("POST", "/customers/olga/orders");
    expectProblem(unavailable, 503, "UPSTREAM_UNAVAILABLE");
    shop().warehouse.failWith(undefined);
  });

  it("answers 503 when the catalog says it is unavailable, 502 when it fails", async () => {
    shop().catalog.failWith(503);
    expectProblem(await shop().request("GET", "/products"), 503, "UPSTREAM_UNAVAILABLE");
    shop().catalog.failWith(500);
    expectProblem(await shop().request("GET", "/products"), 502, "BAD_GATEWAY");
    shop().catalog.failWith(undefined);
  });
});

describe("services whose answers break the contract", () => {
  const garbage = useServer(startGarbageServer);
  const badCatalog = useSiteFixture(() => ({ catalogUrl: garbage() }));
  const badWarehouse = useSiteFixture(() => ({ warehouseUrl: garbage() }));

  it("answers 502 when the catalog's answer does not follow the contract", async () => {
    const answer = await badCatalog().request("GET", "/products");
    expectProblem(answer, 502, "BAD_GATEWAY");
    expect(answer.body.details).toEqual({ service: "catalog" });
  });

  it("lists products without live figures when the warehouse's stock answer is unusable", async () => {
    const listing = await badWarehouse().request("GET", "/products");
    expect(listing.status).toBe(200);
    expect(listing.body.products.map((p: { availableLive: unknown }) => p.availableLive)).toEqual([
      null,
      null,
      null,
    ]);
  });
});
