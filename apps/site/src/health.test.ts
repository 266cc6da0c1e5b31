import { describe, expect, it } from "vitest";
import { useSiteFixture } from "./test-support/site-fixture.js";

const shop = useSiteFixture();

describe("health", () => {
  it("reports every site view with its lag, and is ready once they run", async () => {
    await shop().receiveStock("LAMP-ARC", 1);
    await shop().settle();
    const health = await shop().request("GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body.subscribers).toEqual(
      ["order-view.v5", "notifications.v5", "availability.v2"].map((name) =>
        expect.objectContaining({ name, state: "running", lag: "0" }),
      ),
    );
    expect((await shop().request("GET", "/ready")).status).toBe(200);
  });
});
