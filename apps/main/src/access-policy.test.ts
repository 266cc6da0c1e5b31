import {
  ACCESS_POLICY,
  type Access,
  type RoutePolicy,
  registeredRoutes,
  type Service,
} from "@mebel/adapter-http";
import { ROLES, type Role } from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApps, type TestApps } from "./test-apps.js";

const SERVICES: ReadonlyArray<Service> = ["site", "catalog", "warehouse", "delivery"];
const CUSTOMER = "cust-1";
const COURIER = "anna";

let world: TestApps;
let orderId: string;

beforeAll(async () => {
  world = await startTestApps();
  const created = await fetch(`${world.urls.warehouse}/orders`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(await world.issuer.bearer(CUSTOMER, ["customer"])),
    },
    body: JSON.stringify({ customerId: CUSTOMER }),
  });
  orderId = ((await created.json()) as { orderId: string }).orderId;
});
afterAll(() => world?.close());

const allows = (access: Access, role: Role | "anonymous"): boolean =>
  access.anyone === true ||
  (role !== "anonymous" && (role === "admin" || access.roles.includes(role)));

/** A request that names the caller's own things, so that only the policy can refuse it. */
const requestOf = (policy: RoutePolicy) => ({
  path: policy.path
    .replace(":customerId", CUSTOMER)
    .replace(":orderId", orderId)
    .replace(":courierId", COURIER)
    .replace(":lineId", "line-1")
    .replace(":sku", "SOFA-OSLO-3"),
  body: policy.method === "POST" ? JSON.stringify({ customerId: CUSTOMER }) : undefined,
});

describe("the access policy", () => {
  it("is in front of every route of every app, and lists no route that is not there", () => {
    for (const service of SERVICES) {
      const routes = registeredRoutes(world.apps[service]);
      const unguarded = routes.filter((r) => r.access === undefined);
      expect(unguarded, `${service}: routes registered around the policy`).toEqual([]);
      const served = routes.map((r) => `${r.method} ${r.path}`).sort();
      const listed = ACCESS_POLICY.filter((p) => p.service === service)
        .map((p) => `${p.method} ${p.path}`)
        .sort();
      expect(served, service).toEqual(listed);
    }
  });

  // Generated from the policy itself: a new route is in the matrix as soon as it is listed.
  it.each(ACCESS_POLICY.map((p) => [`${p.service} ${p.method} ${p.path}`, p] as const))(
    "%s answers every role as the policy says",
    async (_name, policy) => {
      const { path, body } = requestOf(policy);
      for (const role of ["anonymous", ...ROLES] as const) {
        const headers: Record<string, string> = {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(role === "anonymous"
            ? {}
            : await world.issuer.bearer(
                role === "customer" ? CUSTOMER : `${role}-1`,
                [role],
                role === "courier" ? COURIER : undefined,
              )),
        };
        const controller = new AbortController();
        const res = await fetch(`${world.urls[policy.service]}${path}`, {
          method: policy.method,
          headers,
          signal: controller.signal,
          ...(body === undefined ? {} : { body }),
        });
        // A live feed that opened is allowed; nothing more to read from it.
        controller.abort();
        // A route with a credential of its own (the refresh cookie) refuses without it: 401.
        const ownCredential = policy.access.anyone === true && policy.access.cookie === true;
        const refused = res.status === 403 || (res.status === 401 && !ownCredential);
        expect(refused, `${role}: ${res.status}`).toBe(!allows(policy.access, role));
        if (refused) expect(res.status).toBe(role === "anonymous" ? 401 : 403);
      }
    },
    20_000,
  );
});
