import { createHash, timingSafeEqual } from "node:crypto";
import type { Role } from "@mebel/core";
import type { NextFunction, Request, RequestHandler, Response, Router } from "express";
import * as E from "fp-ts/lib/Either.js";
import type { RouteSpec } from "../openapi/route-spec.js";
import { problem, sendProblem } from "../problem.js";
import {
  type Access,
  type Method,
  type Ownership,
  policyOf,
  type Service,
} from "./access-policy.js";
import {
  sendForbidden,
  sendInsufficientRole,
  sendInvalidToken,
  sendKeysUnavailable,
  sendUnauthenticated,
} from "./auth-problems.js";
import type { Principal } from "./principal.js";
import type { TokenVerifier } from "./token-verifier.js";

/** How a service learns who is calling. */
export interface Guard {
  readonly verify: TokenVerifier;
  /** Redeems a single-use ticket (the site's live feed); absent where none are issued. */
  readonly redeemTicket?: (ticket: string) => Principal | undefined;
  /** The scraper's bearer token (`MEBEL_METRICS_TOKEN`), for the routes whose policy takes it. */
  readonly metricsToken?: string;
}

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Compared in constant time, so the answer's timing says nothing of how much of it matched. */
const isMetricsToken = (guard: Guard, token: string): boolean =>
  guard.metricsToken !== undefined && timingSafeEqual(digest(token), digest(guard.metricsToken));

/** What an app knows about who owns its resources, for the ownership rules its routes name. */
export interface Owners {
  /** The customer of an order, when there is one. */
  readonly order?: (orderId: string) => Promise<string | undefined>;
  /** The courier a delivery is assigned to, when it is. */
  readonly delivery?: (orderId: string) => Promise<string | undefined>;
}

/**
 * Registers a route: its path, what it reads and answers (for the API's document, checked
 * against every answer in the tests), and its handlers. A route without its spec is served, but
 * the test that every route is documented fails until it has one.
 */
export interface Register {
  (path: string, spec: RouteSpec, ...handlers: ReadonlyArray<RequestHandler>): void;
  (path: string, ...handlers: ReadonlyArray<RequestHandler>): void;
}

export interface GuardedRoutes {
  readonly get: Register;
  readonly post: Register;
  readonly delete: Register;
}

/** The policy a route was registered under, and its spec, kept on its first handler. */
export const POLICY = Symbol("mebel.policy");
export const SPEC = Symbol("mebel.spec");
export type PolicedHandler = RequestHandler & {
  readonly [POLICY]: Access;
  readonly [SPEC]?: RouteSpec;
};

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** The role the caller acts in: the first of theirs the route admits, admin always. */
const grantedRole = (principal: Principal, roles: ReadonlyArray<Role>): Role | undefined =>
  principal.roles.find((r) => roles.includes(r)) ??
  (principal.roles.includes("admin") ? "admin" : undefined);

const notFound = (code: string, what: string) => problem(404, code, `There is no such ${what}.`);

/**
 * The owner of the route's :orderId, by the app's lookup for the rule. Not a closure made per
 * check: under tsx each one would be named with a defineProperty call.
 */
const ownerOf = (
  owner: Ownership,
  find: ((orderId: string) => Promise<string | undefined>) | undefined,
  orderId: string | undefined,
): Promise<string | undefined> => {
  if (find === undefined || orderId === undefined) {
    throw new Error(`the ${owner} rule needs an owner lookup and an :orderId`);
  }
  return find(orderId);
};

/** Whether the caller owns what the route acts on; staff in another role own nothing and need not. */
const owns = async (
  owner: Ownership,
  principal: Principal,
  role: Role,
  req: Request,
  owners: Owners,
): Promise<boolean> => {
  const { customerId, courierId, orderId } = req.params as Record<string, string | undefined>;
  switch (owner) {
    case "customer-path":
      return role !== "customer" || customerId === principal.sub;
    case "customer-body":
      return (
        role !== "customer" || (req.body as { customerId?: unknown })?.customerId === principal.sub
      );
    case "customer-order":
      return role !== "customer" || (await ownerOf(owner, owners.order, orderId)) === principal.sub;
    case "courier-delivery": {
      if (role !== "courier") return true;
      const courier = await ownerOf(owner, owners.delivery, orderId);
      return courier !== undefined && courier === principal.courierId;
    }
    case "courier-path":
      return role !== "courier" || (courierId !== undefined && courierId === principal.courierId);
  }
};

const refuseOwnership = (owner: Ownership, res: Response): void => {
  switch (owner) {
    case "customer-path":
      sendForbidden(res, "These are another customer's resources.");
      return;
    case "customer-body":
      sendForbidden(res, "A customer creates orders only for themselves.");
      return;
    case "courier-path":
      sendForbidden(res, "These are another courier's deliveries.");
      return;
    case "customer-order":
      sendProblem(res, notFound("ORDER_NOT_FOUND", "order"));
      return;
    case "courier-delivery":
      sendProblem(res, notFound("DELIVERY_NOT_FOUND", "delivery"));
      return;
  }
};

/** The credential of a request: its bearer token, or for a route that takes one, a ticket. */
const credentialOf = (
  req: Request,
  access: Access,
): { kind: "token"; token: string } | { kind: "ticket"; ticket: string } | "none" | "malformed" => {
  const header = req.get("authorization");
  if (header !== undefined) {
    const token = BEARER.exec(header)?.[1];
    return token === undefined ? "malformed" : { kind: "token", token };
  }
  const ticket = access.anyone !== true && access.ticket ? req.query.ticket : undefined;
  if (ticket === undefined) return "none";
  return typeof ticket === "string" && /^[A-Za-z0-9_-]{16,128}$/.test(ticket)
    ? { kind: "ticket", ticket }
    : "malformed";
};

/**
 * The check in front of a route: who the caller is (401 otherwise), whether their role may call
 * it (403 otherwise), whether they own what it acts on. It leaves the caller and the role they act
 * in on `res.locals`, where the command context and the forwarding to other services find them.
 */
const policed = (
  access: Access,
  guard: Guard,
  owners: Owners,
  spec: RouteSpec | undefined,
): PolicedHandler => {
  const handler = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (access.anyone === true) {
      next();
      return;
    }
    try {
      const credential = credentialOf(req, access);
      if (credential === "none") return sendUnauthenticated(res);
      if (credential === "malformed") return sendInvalidToken(res);
      let principal: Principal;
      if (credential.kind === "ticket") {
        const redeemed = guard.redeemTicket?.(credential.ticket);
        if (redeemed === undefined) return sendInvalidToken(res);
        principal = redeemed;
      } else if (access.metricsToken === true && isMetricsToken(guard, credential.token)) {
        next();
        return;
      } else {
        const verified = await guard.verify(credential.token);
        if (E.isLeft(verified)) {
          return verified.left.kind === "unavailable"
            ? sendKeysUnavailable(res)
            : sendInvalidToken(res);
        }
        principal = verified.right;
        res.locals.accessToken = credential.token;
      }
      const role = grantedRole(principal, access.roles);
      if (role === undefined) return sendInsufficientRole(res);
      if (access.owner !== undefined && role !== "admin") {
        if (!(await owns(access.owner, principal, role, req, owners))) {
          return refuseOwnership(access.owner, res);
        }
      }
      res.locals.principal = principal;
      res.locals.actorRole = role;
      next();
    } catch (error) {
      next(error);
    }
  };
  return Object.assign(handler, {
    [POLICY]: access,
    ...(spec === undefined ? {} : { [SPEC]: spec }),
  });
};

/**
 * Routes of one service, each registered under its entry of the access policy: a path the policy
 * does not list throws at start-up, so a route with no policy cannot be served. `after` runs
 * behind the check on every route (idempotency keys, so a replay is only ever the caller's own).
 */
export const guardedRoutes = (
  router: Router,
  service: Service,
  guard: Guard,
  options: { readonly owners?: Owners; readonly after?: ReadonlyArray<RequestHandler> } = {},
): GuardedRoutes => {
  const register =
    (method: Method): Register =>
    (path: string, ...rest: ReadonlyArray<RouteSpec | RequestHandler>): void => {
      const [first, ...others] = rest;
      const spec = typeof first === "function" ? undefined : first;
      const handlers = (spec === undefined ? rest : others) as ReadonlyArray<RequestHandler>;
      const policy = policyOf(service, method, path);
      if (policy === undefined) {
        throw new Error(`${service}: ${method} ${path} has no entry in the access policy`);
      }
      const chain = [
        policed(policy.access, guard, options.owners ?? {}, spec),
        ...(options.after ?? []),
      ];
      const verb = method === "GET" ? "get" : method === "POST" ? "post" : "delete";
      router[verb](path, ...chain, ...handlers);
    };
  return { get: register("GET"), post: register("POST"), delete: register("DELETE") };
};
