import { queryInt } from "@mebel/adapter-http";
import { CourierId, CustomerId, Role } from "@mebel/core";
import * as t from "io-ts";

export const ACCOUNTS_PAGE_LIMIT = 100;

export const AccountPath = t.type({ accountId: CustomerId });

export const AccountsQuery = t.exact(
  t.partial({
    offset: queryInt(0, 1_000_000),
    limit: queryInt(1, ACCOUNTS_PAGE_LIMIT),
  }),
);

const Roles = t.refinement(
  t.readonlyArray(Role),
  (roles) => roles.length > 0 && new Set(roles).size === roles.length,
  "one or more roles, each once",
);

/** The account's roles, all of them (a replacement, not a list of changes). */
export const RolesBody = t.exact(
  t.intersection([t.type({ roles: Roles }), t.partial({ courierId: CourierId })]),
);
export type RolesBody = t.TypeOf<typeof RolesBody>;
