import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  decodePart,
  type GuardedRoutes,
  hashPassword,
  type Principal,
  principalOf,
  problem,
  type Reply,
  route,
  sendProblem,
  type TokenSigner,
  UNUSABLE_HASH,
  verifyPassword,
} from "@mebel/adapter-http";
import { type Account, type AccountStore, CustomerId, Email, unsafeDecode } from "@mebel/core";
import type { Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import type { JSONWebKeySet } from "jose";
import { Jwks, Me, Session, Ticket } from "../answer-codecs.js";
import { Credentials, Registration } from "./identity-codecs.js";
import { clearRefreshCookie, refreshCookieOf, setRefreshCookie } from "./refresh-cookie.js";
import { sameOrigin } from "./same-origin.js";
import { perAccount, perAddress } from "./sign-in-limits.js";
import type { Tickets } from "./tickets.js";

export interface IssuerDeps {
  readonly accounts: AccountStore;
  readonly sign: TokenSigner;
  readonly jwks: JSONWebKeySet;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** `Secure` cookies: off only when the site listens on loopback alone. */
  readonly secureCookies: boolean;
  readonly signInsPerMinute: number;
  /** Origins besides the site's own whose pages may use its cookie. */
  readonly allowedOrigins: ReadonlyArray<string>;
  readonly now?: () => Date;
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("base64url");

const badCredentials = () =>
  problem(401, "INVALID_CREDENTIALS", "The email or the password is wrong.");
const badRefresh = () =>
  problem(401, "INVALID_REFRESH_TOKEN", "The session has ended: sign in again.");

const principalOfAccount = (account: Account): Principal => ({
  sub: account.id,
  roles: account.roles,
  ...(account.courierId === undefined ? {} : { courierId: account.courierId }),
});

/**
 * The embedded issuer on the site: accounts, passwords and rotating refresh tokens. Access tokens
 * go in the answer; the refresh token only in an HttpOnly cookie, and each use spends it for a
 * new one of the same family. A spent token used again means a copy is loose: the whole family
 * is revoked, and whoever holds either copy must sign in again.
 */
export const addIssuerRoutes = (routes: GuardedRoutes, deps: IssuerDeps): void => {
  const now = deps.now ?? (() => new Date());
  const addressLimit = perAddress(deps.signInsPerMinute);
  const accountLimit = perAccount(deps.signInsPerMinute);
  const csrf = sameOrigin(deps.allowedOrigins);

  /** Signs the account in: an access token in the body, a new refresh token in the cookie. */
  const session = async (
    res: Response,
    account: Account,
    family: string = randomUUID(),
    status = 200,
  ): Promise<Reply> => {
    const refresh = randomBytes(32).toString("base64url");
    await deps.accounts.saveRefreshToken({
      hash: sha256(refresh),
      family,
      accountId: account.id,
      expiresAt: new Date(now().getTime() + deps.refreshTokenTtlSeconds * 1000),
    });
    setRefreshCookie(res, refresh, deps.refreshTokenTtlSeconds, deps.secureCookies);
    res.setHeader("Cache-Control", "no-store");
    return {
      status,
      body: {
        accessToken: await deps.sign(principalOfAccount(account)),
        tokenType: "Bearer",
        expiresIn: deps.accessTokenTtlSeconds,
      },
    };
  };

  routes.get(
    "/.well-known/jwks.json",
    { summary: "The issuer's public keys, to verify its tokens", responses: { 200: Jwks } },
    (_req, res) => {
      res.setHeader("Cache-Control", "public, max-age=300");
      res.json(deps.jwks);
    },
  );

  routes.post(
    "/auth/register",
    {
      summary: "Signs a new customer up and in: an access token, and the refresh cookie",
      body: Registration,
      responses: { 201: Session },
      problems: ["EMAIL_TAKEN", "TOO_MANY_ATTEMPTS"],
    },
    addressLimit,
    route(async (req, res) => {
      const body = decodePart(Registration, "body")(req.body ?? {});
      if (E.isLeft(body)) return body;
      const { email, password, name, language } = body.right;
      const created = await deps.accounts.create({
        id: unsafeDecode(CustomerId)(randomUUID()),
        email,
        name: name.trim(),
        roles: ["customer"],
        passwordHash: await hashPassword(password),
        disabled: false,
        ...(language === undefined ? {} : { language }),
      });
      if (E.isLeft(created)) {
        return E.left(problem(409, "EMAIL_TAKEN", "An account with this email exists already."));
      }
      return E.right(await session(res, created.right, undefined, 201));
    }),
  );

  routes.post(
    "/auth/login",
    {
      summary: "Signs in: an access token, and the refresh cookie",
      body: Credentials,
      responses: { 200: Session },
      problems: ["INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS"],
    },
    addressLimit,
    accountLimit,
    route(async (req, res) => {
      const body = decodePart(Credentials, "body")(req.body ?? {});
      if (E.isLeft(body)) return body;
      const typed = body.right.email.trim().toLowerCase();
      const found = Email.is(typed) ? await deps.accounts.byEmail(typed) : O.none;
      const account = O.toUndefined(found);
      // Checked even when there is no account, so that both refusals take as long.
      const matches = await verifyPassword(
        body.right.password,
        account?.passwordHash ?? UNUSABLE_HASH,
      );
      if (account === undefined || !matches || account.disabled) return E.left(badCredentials());
      return E.right(await session(res, account));
    }),
  );

  routes.post(
    "/auth/refresh",
    {
      summary: "Spends the refresh cookie for a new access token and a new cookie",
      responses: { 200: Session },
      problems: ["INVALID_REFRESH_TOKEN", "TOO_MANY_ATTEMPTS", "FORBIDDEN"],
    },
    addressLimit,
    csrf,
    route(async (req, res) => {
      const presented = refreshCookieOf(req);
      if (presented === undefined) return E.left(badRefresh());
      const used = await deps.accounts.useRefreshToken(sha256(presented), now());
      if (used.kind !== "fresh") {
        if (used.kind === "reused") await deps.accounts.revokeFamily(used.token.family);
        clearRefreshCookie(res, deps.secureCookies);
        return E.left(badRefresh());
      }
      const account = O.toUndefined(await deps.accounts.byId(used.token.accountId));
      if (account === undefined || account.disabled) {
        await deps.accounts.revokeFamily(used.token.family);
        clearRefreshCookie(res, deps.secureCookies);
        return E.left(badRefresh());
      }
      return E.right(await session(res, account, used.token.family));
    }),
  );

  routes.post(
    "/auth/logout",
    {
      summary: "Ends the session: the refresh cookie's family is revoked",
      responses: { 204: { contentType: [], description: "Signed out" } },
      problems: ["FORBIDDEN"],
    },
    csrf,
    async (req: Request, res: Response) => {
      const presented = refreshCookieOf(req);
      if (presented !== undefined) {
        const used = await deps.accounts.useRefreshToken(sha256(presented), now());
        if (used.kind !== "unknown") await deps.accounts.revokeFamily(used.token.family);
      }
      clearRefreshCookie(res, deps.secureCookies);
      res.status(204).end();
    },
  );
};

/** `/auth/me` and `/auth/ticket`: whoever signed the token in, embedded issuer or not. */
export const addSessionRoutes = (
  routes: GuardedRoutes,
  deps: { readonly accounts?: AccountStore; readonly tickets: Tickets },
): void => {
  routes.get(
    "/auth/me",
    { summary: "Who the token is", responses: { 200: Me } },
    route(async (_req, res) => {
      const principal = principalOf(res) as Principal;
      const account =
        deps.accounts === undefined
          ? undefined
          : O.toUndefined(await deps.accounts.byId(principal.sub));
      return E.right({
        body: {
          id: principal.sub,
          email: account?.email ?? null,
          name: account?.name ?? null,
          roles: principal.roles,
          ...(principal.courierId === undefined ? {} : { courierId: principal.courierId }),
        },
      });
    }),
  );

  routes.post(
    "/auth/ticket",
    {
      summary: "A single-use ticket for the live feed (`EventSource` cannot send a token)",
      responses: { 201: Ticket },
    },
    (_req, res) => {
      const principal = principalOf(res);
      if (principal === undefined) {
        sendProblem(res, problem(401, "UNAUTHENTICATED", "Sign in first."));
        return;
      }
      res.setHeader("Cache-Control", "no-store");
      res.status(201).json(deps.tickets.issue(principal));
    },
  );
};
