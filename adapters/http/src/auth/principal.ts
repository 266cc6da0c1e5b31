import { CourierId, CustomerId, Role } from "@mebel/core";
import type { Response } from "express";
import * as t from "io-ts";

/** Who a verified token says the caller is. */
export interface Principal {
  readonly sub: CustomerId;
  readonly roles: ReadonlyArray<Role>;
  /** For a courier's token: the courier of the delivery context it signs in as. */
  readonly courierId?: CourierId;
  /** When the token stops being good (seconds since the epoch): what outlives a request ends then. */
  readonly expiresAt?: number;
}

/** The claims a token must carry besides the registered ones jose checks. */
export const PrincipalClaims = t.intersection([
  t.type({ sub: CustomerId }),
  t.partial({ courier_id: CourierId }),
]);

/** Roles a provider names that mean nothing here are dropped, not refused: a token may hold more. */
export const knownRoles = (claimed: unknown): ReadonlyArray<Role> =>
  Array.isArray(claimed) ? claimed.filter((r): r is Role => Role.is(r)) : [];

export const principalOf = (res: Response): Principal | undefined =>
  res.locals.principal as Principal | undefined;

/** The caller's bearer token as it came, for passing it on to the service that decides. */
export const accessTokenOf = (res: Response): string | undefined =>
  res.locals.accessToken as string | undefined;
