import { queryInt, withSchema } from "@mebel/adapter-http";
import { CourierId, CustomerId, Email, Role } from "@mebel/core";
import * as t from "io-ts";

export const ACCOUNTS_PAGE_LIMIT = 100;

export const AccountPath = t.type({ accountId: CustomerId });

export const AccountsQuery = t.exact(
  t.partial({
    offset: queryInt(0, 1_000_000),
    limit: queryInt(1, ACCOUNTS_PAGE_LIMIT),
  }),
);

const Roles = withSchema(
  t.refinement(
    t.readonlyArray(Role),
    (roles) => roles.length > 0 && new Set(roles).size === roles.length,
    "one or more roles, each once",
  ),
  {
    type: "array",
    items: { enum: Object.keys(Role.keys) },
    minItems: 1,
    uniqueItems: true,
  },
);

/** The account's roles, all of them (a replacement, not a list of changes). */
export const RolesBody = t.exact(
  t.intersection([t.type({ roles: Roles }), t.partial({ courierId: CourierId })]),
);
export type RolesBody = t.TypeOf<typeof RolesBody>;

/** An account as an admin sees it: never its password hash. */
export const PublicAccount = t.type({
  id: CustomerId,
  email: Email,
  name: t.string,
  roles: t.readonlyArray(Role),
  disabled: t.boolean,
  courierId: t.union([CourierId, t.null]),
});

export const AccountsPage = t.type({
  accounts: t.readonlyArray(PublicAccount),
  total: t.number,
  offset: t.number,
  limit: t.number,
});
