import type { Express } from "express";
import { IDEMPOTENT } from "../idempotency.js";
import type { RouteSpec } from "../openapi/route-spec.js";
import type { Access } from "./access-policy.js";
import { POLICY, SPEC } from "./guarded-routes.js";

export interface RegisteredRoute {
  readonly method: string;
  readonly path: string;
  /** The policy the route was registered under; undefined for a route that went around it. */
  readonly access: Access | undefined;
  /** What it reads and answers, as declared beside its handler; undefined when nothing was. */
  readonly spec: RouteSpec | undefined;
  /** Whether an `Idempotency-Key` is honoured in front of it. */
  readonly idempotent: boolean;
}

interface Layer {
  readonly route?: {
    readonly path: string;
    readonly methods: Readonly<Record<string, boolean>>;
    readonly stack: ReadonlyArray<{ readonly handle: unknown }>;
  };
  readonly handle?: { readonly stack?: ReadonlyArray<Layer> };
}

const walk = (stack: ReadonlyArray<Layer>): ReadonlyArray<RegisteredRoute> =>
  stack.flatMap((layer) => {
    if (layer.route !== undefined) {
      const { path, methods, stack: handlers } = layer.route;
      const first = handlers[0]?.handle as { [POLICY]?: Access; [SPEC]?: RouteSpec } | undefined;
      const idempotent = handlers.some(
        (h) => (h.handle as { [IDEMPOTENT]?: true } | undefined)?.[IDEMPOTENT] === true,
      );
      return Object.keys(methods)
        .filter((m) => m !== "_all")
        .map((m) => ({
          method: m.toUpperCase(),
          path,
          access: first?.[POLICY],
          spec: first?.[SPEC],
          idempotent: idempotent && m === "post",
        }));
    }
    return layer.handle?.stack === undefined ? [] : walk(layer.handle.stack);
  });

/** Every route an Express app serves, with the policy in front of it (routers mounted at `/`). */
export const registeredRoutes = (app: Express): ReadonlyArray<RegisteredRoute> =>
  walk((app as unknown as { router: { stack: ReadonlyArray<Layer> } }).router.stack);
