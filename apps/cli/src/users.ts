import { type Account, Email, Role, StaffRole } from "@mebel/core";
import { addAccount, generatedPassword } from "@mebel/runtime";
import type { Command } from "commander";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { CourierIdArgument, decodeArguments, optional } from "./arguments.js";
import type { CliContext } from "./cli-context.js";
import { Failure, UsageError } from "./failures.js";
import { writeLines } from "./io.js";
import { withStores } from "./stores.js";
import { table } from "./table.js";

const EmailArgument = new t.Type<Email, string, unknown>(
  "an email address (name@example.com)",
  Email.is,
  (u, c) => (typeof u === "string" ? Email.validate(u.trim().toLowerCase(), c) : t.failure(u, c)),
  (e) => e,
);
const Roles = t.refinement(
  t.readonlyArray(Role),
  (roles) => roles.length > 0,
  `one or more --role (${Object.keys(Role.keys).join(", ")})`,
);
const StaffRoles = t.refinement(
  t.readonlyArray(StaffRole),
  (roles) => roles.length > 0,
  `one or more --role (${Object.keys(StaffRole.keys).join(", ")}); customers sign up themselves`,
);
const PersonName = t.refinement(
  t.string,
  (s) => s.trim().length > 0 && s.length <= 100,
  "a name (1 to 100 characters)",
);
/** Checked apart from the arguments: a refusal names the variable, never echoes its value. */
const passwordFrom = (given: string | undefined): string | undefined => {
  if (given === undefined || given === "") return undefined;
  if (given.length < 8 || given.length > 256) {
    throw new UsageError("MEBEL_USER_PASSWORD: expected a password of 8 to 256 characters");
  }
  return given;
};

const collect = (value: string, previous: ReadonlyArray<string>) => [...previous, value];

const row = (a: Account) => [
  a.email,
  a.id,
  a.roles.join(", "),
  a.courierId ?? "",
  a.disabled ? "disabled" : "active",
];

const noAccount = (email: string) => new Failure(`there is no account ${email}`);

/**
 * `mebel users add|list|disable|set-roles`: staff accounts of the embedded issuer, in the same
 * store as everything else (so, embedded, while the services are stopped). A new account's
 * password is `MEBEL_USER_PASSWORD` when set, else made now and shown once; never an argument,
 * which shell history and process lists would keep.
 */
export const defineUsers = (users: Command, cli: CliContext): Command => {
  users
    .command("add")
    .description("a staff account: --email, one or more --role, --name, --courier for a courier")
    .requiredOption("--email <email>", "their address, which they sign in with")
    .option("--role <role>", "a role (repeat for several)", collect, [])
    .option("--name <name>", "how they are shown", "")
    .option("--courier <id>", "the courier (of MEBEL_COURIERS) a courier account signs in as")
    .action(
      cli.act(
        async (options: { email: string; role: string[]; name: string; courier?: string }) => {
          const args = decodeArguments(
            t.type({
              "--email": EmailArgument,
              "--role": StaffRoles,
              "--name": PersonName,
              "--courier": optional(CourierIdArgument),
            }),
            {
              "--email": options.email,
              "--role": options.role,
              "--name": options.name === "" ? options.email.split("@")[0] : options.name,
              "--courier": options.courier,
            },
          );
          const given = passwordFrom(cli.env.MEBEL_USER_PASSWORD);
          if (args["--role"].includes("courier") !== (args["--courier"] !== undefined)) {
            throw new Failure("a courier account needs --courier <id>, and only a courier account");
          }
          const password = given ?? generatedPassword();
          const added = await withStores(cli.settings(), ({ infra }) =>
            addAccount(infra.accounts, {
              email: args["--email"],
              name: args["--name"],
              roles: args["--role"],
              password,
              ...(args["--courier"] === undefined ? {} : { courierId: args["--courier"] }),
            }),
          );
          if (E.isLeft(added)) throw new Failure(`${args["--email"]}: ${added.left.message}`);
          const lines = [
            `added ${added.right.email} (${added.right.roles.join(", ")}), id ${added.right.id}`,
          ];
          if (given === undefined) {
            lines.push(`password, shown only now: ${password}`);
          }
          await writeLines(cli.io.stdout, lines);
          return 0;
        },
      ),
    );

  users
    .command("list")
    .description("every account: email, id, roles, courier, whether disabled")
    .action(
      cli.act(async () => {
        const accounts = await withStores(cli.settings(), ({ infra }) => infra.accounts.list());
        await writeLines(
          cli.io.stdout,
          table(["email", "id", "roles", "courier", "state"], accounts.map(row)),
        );
        return 0;
      }),
    );

  users
    .command("disable")
    .description("no more sign-ins, and every refresh token of the account revoked at once")
    .requiredOption("--email <email>", "the account")
    .action(
      cli.act(async (options: { email: string }) => {
        const args = decodeArguments(t.type({ "--email": EmailArgument }), {
          "--email": options.email,
        });
        const changed = await withStores(cli.settings(), async ({ infra }) => {
          const done = await infra.accounts.change(args["--email"], { disabled: true });
          if (E.isRight(done)) await infra.accounts.revokeAccountTokens(done.right.id);
          return done;
        });
        if (E.isLeft(changed)) throw noAccount(args["--email"]);
        await writeLines(cli.io.stdout, [
          `disabled ${changed.right.email}; access tokens already given out end within their lifetime`,
        ]);
        return 0;
      }),
    );

  users
    .command("set-roles")
    .description("replace an account's roles (one or more --role)")
    .requiredOption("--email <email>", "the account")
    .option("--role <role>", "a role (repeat for several)", collect, [])
    .action(
      cli.act(async (options: { email: string; role: string[] }) => {
        const args = decodeArguments(t.type({ "--email": EmailArgument, "--role": Roles }), {
          "--email": options.email,
          "--role": options.role,
        });
        const changed = await withStores(cli.settings(), async ({ infra }) => {
          const done = await infra.accounts.change(args["--email"], { roles: args["--role"] });
          // New roles take effect at the next sign-in: the old tokens' refresh is ended.
          if (E.isRight(done)) await infra.accounts.revokeAccountTokens(done.right.id);
          return done;
        });
        if (E.isLeft(changed)) throw noAccount(args["--email"]);
        await writeLines(cli.io.stdout, [
          `${changed.right.email} now has ${changed.right.roles.join(", ")}`,
        ]);
        return 0;
      }),
    );
  return users;
};
