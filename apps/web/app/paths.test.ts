import { describe, expect, it } from "vitest";
import { isPagePath } from "./paths.js";

describe("the app's pages", () => {
  it("are the screens of the app", () => {
    for (const page of [
      "/",
      "/product/SOFA-OSLO-3",
      "/cart",
      "/orders",
      "/orders/o-1",
      "/board",
      "/mail",
      "/failed-mail",
    ]) {
      expect(isPagePath(page), page).toBe(true);
    }
  });

  it("never shadow a route of the services", () => {
    for (const route of [
      "/products",
      "/customers/olga/orders",
      "/customers/olga/events",
      "/auth/login",
      "/health",
      "/ready",
      "/.well-known/jwks.json",
      "/api/warehouse/queue",
      "/orders/o-1/place",
      "/product/lower-case",
      "/admin/mail/failed",
      "/customers/olga/mail-preferences",
    ]) {
      expect(isPagePath(route), route).toBe(false);
    }
  });
});
