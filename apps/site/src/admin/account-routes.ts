import {
  decodePart,
  type GuardedRoutes,
  type Logger,
  type Principal,
  type Problem,
  principalOf,
  problem,
  requestContext,
  route,
} from "@mebel/adapter-http";
import type { Account, AccountChange, AccountStore } from "@mebel/core";
import type { Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import type * as t from "io-ts";
import { NoBody } from "../request-codecs.js";
import {
  ACCOUNTS_PAGE_LIMIT,
  AccountPath,
  AccountsPage,
  AccountsQuery,
  PublicAccount,
  type RolesBody,
  RolesBody as RolesBodyCodec,
} from "./account-codecs.js";

export interface AdminAccountDeps {
  readonly accounts: AccountStore;
  readonly logger: Logger;
}

/** An account as an admin sees it: never its password hash. */
export const publicAccount = (a: Account) => ({
  id: a.id,
  email: a.email,
  name: a.name,
  roles: a.roles,
  disabled: a.disabled,
  courierId: a.courierId ?? null,
});

const noAccount = () => problem(404, "ACCOUNT_NOT_FOUND", "There is no such account.");
const lockOut = (what: string) =>
  problem(409, "SELF_LOCKOUT", `An admin cannot ${what} their own account: ask another admin.`);
const courierNeedsId = () =>
  problem(422, "COURIER_ID_REQUIRED", "A courier account needs the courier it signs in as.");

/**
 * The admins' accounts screen: list (paged, by email), replace an account's roles, disable and
 * enable. Every change is logged with who made it and what changed (ids and roles, no secret),
 * and ends the account's refresh tokens, so the new roles hold from the next sign-in. An admin
 * cannot take their own admin role away nor disable themselves: the shop keeps an admin.
 */
export const addAdminAccountRoutes = (routes: GuardedRoutes, deps: AdminAccountDeps): void => {
  routes.get(
    "/admin/accounts",
    {
      summary: "A page of the accounts, by email, with their roles; never a password hash",
      query: AccountsQuery,
      responses: { 200: AccountsPage },
    },
    route(async (req) => {
      const query = decodePart(AccountsQuery, "query")(req.query);
      if (E.isLeft(query)) return query;
      const { offset = 0, limit = ACCOUNTS_PAGE_LIMIT } = query.right;
      const all = await deps.accounts.list();
      return E.right({
        body: {
          accounts: all.slice(offset, offset + limit).map(publicAccount),
          total: all.length,
          offset,
          limit,
        },
      });
    }),
  );

  const change = (summary: string, body: t.Any, problems: ReadonlyArray<string> = []) => ({
    summary,
    params: AccountPath,
    body,
    responses: { 200: PublicAccount },
    problems: ["ACCOUNT_NOT_FOUND", "SELF_LOCKOUT", ...problems],
  });

  /** Decodes the path, finds the account, checks the change, applies it, and logs it. */
  const changing = (
    action: string,
    decide: (account: Account, admin: Principal, req: Request) => E.Either<Problem, AccountChange>,
  ) =>
    route(async (req: Request, res: Response) => {
      const path = decodePart(AccountPath, "path")(req.params);
      if (E.isLeft(path)) return path;
      const admin = principalOf(res) as Principal;
      const found = O.toUndefined(await deps.accounts.byId(path.right.accountId));
      if (found === undefined) return E.left(noAccount());
      const change = decide(found, admin, req);
      if (E.isLeft(change)) return change;
      const changed = await deps.accounts.change(found.email, change.right);
      if (E.isLeft(changed)) return E.left(noAccount());
      await deps.accounts.revokeAccountTokens(changed.right.id);
      deps.logger.info(
        {
          audit: action,
          by: admin.sub,
          account: found.id,
          before: { roles: found.roles, disabled: found.disabled },
          after: { roles: changed.right.roles, disabled: changed.right.disabled },
          correlationId: requestContext(res).correlationId,
        },
        "account changed by an admin",
      );
      return E.right({ body: publicAccount(changed.right) });
    });

  routes.post(
    "/admin/accounts/:accountId/roles",
    change("Replace the account's roles; from its next sign-in", RolesBodyCodec, [
      "COURIER_ID_REQUIRED",
    ]),
    changing("account.roles", (account, admin, req) => {
      const body = decodePart(RolesBodyCodec, "body")(req.body ?? {});
      if (E.isLeft(body)) return body;
      const { roles, courierId }: RolesBody = body.right;
      if (account.id === admin.sub && !roles.includes("admin")) {
        return E.left(lockOut("remove the admin role from"));
      }
      const courier = courierId ?? account.courierId;
      if (roles.includes("courier") && courier === undefined) return E.left(courierNeedsId());
      return E.right({ roles, ...(courierId === undefined ? {} : { courierId }) });
    }),
  );

  routes.post(
    "/admin/accounts/:accountId/disable",
    change("Disable the account: it signs in no more, its refresh tokens end", NoBody),
    changing("account.disable", (account, admin, req) => {
      const body = decodePart(NoBody, "body")(req.body);
      if (E.isLeft(body)) return body;
      return account.id === admin.sub ? E.left(lockOut("disable")) : E.right({ disabled: true });
    }),
  );

  routes.post(
    "/admin/accounts/:accountId/enable",
    change("Enable the account again", NoBody),
    changing("account.enable", (_account, _admin, req) => {
      const body = decodePart(NoBody, "body")(req.body);
      return E.isLeft(body) ? body : E.right({ disabled: false });
    }),
  );
};
