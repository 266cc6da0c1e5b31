import {
  decodePart,
  domainProblem,
  type GuardedRoutes,
  problem,
  requestContext,
  route,
} from "@mebel/adapter-http";
import {
  type AccountStore,
  type CommandContext,
  type CorruptEvent,
  type CustomerId,
  type DomainError,
  isMailEnabled,
  Language,
  MAIL_KINDS,
  MailKind,
  type MailPreferencesCommand,
  type MailPreferencesState,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import * as t from "io-ts";
import { CustomerPath } from "./request-codecs.js";

export interface MailPreferencesDeps {
  readonly of: (customerId: CustomerId) => Promise<E.Either<CorruptEvent, MailPreferencesState>>;
  readonly set: (
    command: MailPreferencesCommand,
    context: CommandContext,
  ) => TE.TaskEither<DomainError, unknown>;
  readonly accounts: AccountStore;
}

/** What a customer may change: their mail's language, and each kind of mail on or off. */
export const MailPreferencesBody = t.exact(
  t.partial({
    language: Language,
    kinds: t.exact(t.partial(Object.fromEntries(MAIL_KINDS.map((k) => [k, t.boolean])))),
  }),
);

/** What the routes answer: the language (null: not chosen) and every kind, on or off. */
export const MailPreferencesAnswer = t.type({
  language: t.union([Language, t.null]),
  kinds: t.type(Object.fromEntries(MAIL_KINDS.map((k) => [k, t.boolean]))),
});

const accountGone = (customerId: string) =>
  problem(404, "ACCOUNT_NOT_FOUND", `There is no account ${customerId}.`);

/**
 * `GET`/`POST /customers/:customerId/mail-preferences`: a customer's own choices about e-mail.
 * The kinds are events in the customer's own stream; the language is kept with the account.
 */
export const addMailPreferenceRoutes = (routes: GuardedRoutes, deps: MailPreferencesDeps): void => {
  const current = async (customerId: CustomerId) => {
    const [account, preferences] = await Promise.all([
      deps.accounts.byId(customerId),
      deps.of(customerId),
    ]);
    if (O.isNone(account)) return E.left(accountGone(customerId));
    if (E.isLeft(preferences)) return E.left(domainProblem(preferences.left));
    return E.right({
      body: {
        language: account.value.language ?? null,
        kinds: Object.fromEntries(MAIL_KINDS.map((k) => [k, isMailEnabled(preferences.right, k)])),
      },
    });
  };

  routes.get(
    "/customers/:customerId/mail-preferences",
    {
      summary: "The customer's own e-mail choices: language, and each kind of mail on or off",
      params: CustomerPath,
      responses: { 200: MailPreferencesAnswer },
      problems: ["ACCOUNT_NOT_FOUND"],
    },
    route(async (req) => {
      const path = decodePart(CustomerPath, "path")(req.params);
      return E.isLeft(path) ? path : current(path.right.customerId);
    }),
  );

  routes.post(
    "/customers/:customerId/mail-preferences",
    {
      summary: "Change the customer's e-mail choices; the answer is all of them after the change",
      params: CustomerPath,
      body: MailPreferencesBody,
      command: true,
      responses: { 200: MailPreferencesAnswer },
      problems: ["ACCOUNT_NOT_FOUND"],
    },
    route(async (req, res) => {
      const path = decodePart(CustomerPath, "path")(req.params);
      if (E.isLeft(path)) return path;
      const body = decodePart(MailPreferencesBody, "body")(req.body ?? {});
      if (E.isLeft(body)) return body;
      const { customerId } = path.right;
      const account = await deps.accounts.byId(customerId);
      if (O.isNone(account)) return E.left(accountGone(customerId));
      const { language, kinds = {} } = body.right;
      if (language !== undefined) await deps.accounts.change(account.value.email, { language });
      for (const [kind, enabled] of Object.entries(kinds)) {
        if (!MailKind.is(kind) || enabled === undefined) continue;
        const outcome = await deps.set(
          { type: "SetEmailPreference", customerId, kind, enabled },
          requestContext(res),
        )();
        if (E.isLeft(outcome)) return E.left(domainProblem(outcome.left));
      }
      return current(customerId);
    }),
  );
};
