import type { Role } from "@mebel/core";
import { useState } from "preact/hooks";
import type { AccountsPage, AdminAccount, Me } from "../api/codecs.js";
import { admin } from "../api/endpoints.js";
import { Alert, Page, Show } from "../ui/bits.js";
import { useCommand, useLoad } from "../ui/hooks.js";

export const ACCOUNTS_PER_PAGE = 20;

const ROLE_WORDS: ReadonlyArray<readonly [Role, string]> = [
  ["customer", "Customer"],
  ["warehouse", "Warehouse"],
  ["dispatcher", "Dispatcher"],
  ["courier", "Courier"],
  ["catalog", "Catalog"],
  ["admin", "Admin"],
];

const AccountRow = (props: {
  readonly account: AdminAccount;
  readonly self: boolean;
  readonly onAnswer: (account: AdminAccount) => void;
}) => {
  const { account } = props;
  const [roles, setRoles] = useState<ReadonlySet<Role>>(new Set(account.roles));
  const { busy, error, run, setError } = useCommand();
  const changed = roles.size !== account.roles.length || account.roles.some((r) => !roles.has(r));
  const answered = async (command: () => ReturnType<typeof admin.setRoles>) => {
    const done = await run(command);
    if (done !== undefined) {
      setRoles(new Set(done.roles));
      props.onAnswer(done);
    }
  };
  const who = account.name === "" ? account.email : account.name;
  return (
    <li class="card account" data-testid={`account-${account.email}`}>
      <div>
        <h2>
          {who} {account.disabled ? <span class="badge">Disabled</span> : null}
        </h2>
        <p>{account.email}</p>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (roles.size === 0) {
            setError("Give the account at least one role.");
            return;
          }
          void answered(() => admin.setRoles(account.id, [...roles]));
        }}
      >
        <fieldset class="roles">
          <legend>
            Roles<span class="visually-hidden"> of {account.email}</span>
          </legend>
          {ROLE_WORDS.map(([role, words]) => {
            const id = `role-${account.id}-${role}`;
            return (
              <span class="choice" key={role}>
                <input
                  id={id}
                  type="checkbox"
                  checked={roles.has(role)}
                  // The server refuses it too: an admin keeps their own admin role.
                  disabled={props.self && role === "admin"}
                  onChange={(e) => {
                    const next = new Set(roles);
                    if (e.currentTarget.checked) next.add(role);
                    else next.delete(role);
                    setRoles(next);
                  }}
                />
                <label for={id}>{words}</label>
              </span>
            );
          })}
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy || !changed}>
            Save roles<span class="visually-hidden"> of {account.email}</span>
          </button>{" "}
          {props.self ? null : (
            <button
              type="button"
              disabled={busy}
              onClick={() => void answered(() => admin.setDisabled(account.id, !account.disabled))}
            >
              {account.disabled ? "Enable" : "Disable"}
              <span class="visually-hidden"> {account.email}</span>
            </button>
          )}
        </div>
        <Alert message={error} />
      </form>
    </li>
  );
};

/** The admin's accounts: a page at a time, by email; roles, disable and enable. */
export const AccountsScreen = (props: { readonly me: Me }) => {
  const [offset, setOffset] = useState(0);
  const [page, , update] = useLoad(() => admin.accounts(offset, ACCOUNTS_PER_PAGE), [offset]);
  const answered = (changed: AdminAccount) =>
    update((before: AccountsPage | undefined) =>
      before === undefined
        ? undefined
        : {
            ...before,
            accounts: before.accounts.map((a) => (a.id === changed.id ? changed : a)),
          },
    );
  return (
    <Page title="Accounts">
      <Show state={page}>
        {(p) => (
          <>
            <p>
              {p.total === 0
                ? "No accounts."
                : `Accounts ${p.offset + 1} to ${p.offset + p.accounts.length} of ${p.total}.`}{" "}
              A change holds from the person's next sign-in.
            </p>
            <ul class="accounts">
              {p.accounts.map((a) => (
                <AccountRow
                  key={a.id}
                  account={a}
                  self={a.id === props.me.id}
                  onAnswer={answered}
                />
              ))}
            </ul>
            <nav aria-label="Pages of accounts" class="inline">
              <button
                type="button"
                disabled={p.offset === 0}
                onClick={() => setOffset(Math.max(0, p.offset - ACCOUNTS_PER_PAGE))}
              >
                Previous page
              </button>{" "}
              <button
                type="button"
                disabled={p.offset + p.accounts.length >= p.total}
                onClick={() => setOffset(p.offset + ACCOUNTS_PER_PAGE)}
              >
                Next page
              </button>
            </nav>
          </>
        )}
      </Show>
    </Page>
  );
};
