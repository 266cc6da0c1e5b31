import * as t from "io-ts";
import type { Me } from "../api/codecs.js";
import { authed } from "../api/session.js";
import { Alert, Page, Show } from "../ui/bits.js";
import { useCommand, useLoad } from "../ui/hooks.js";

/** What the site answers about a customer's e-mail: its language and each kind on or off. */
const MailPreferences = t.type({
  language: t.union([t.literal("ru"), t.literal("en"), t.null]),
  kinds: t.record(t.string, t.boolean),
});
type MailPreferences = t.TypeOf<typeof MailPreferences>;

const path = (me: Me) => `/customers/${encodeURIComponent(me.id)}/mail-preferences`;

const KIND_WORDS: Readonly<Record<string, string>> = {
  placed: "Order placed",
  assembled: "Order assembled",
  courier_assigned: "Courier assigned",
  handed_over: "Handed to the courier",
  delivered: "Delivered",
  delivery_failed: "Delivery failed",
  cancelled: "Order cancelled",
};

/** The customer's e-mail: which messages they get, and in which language. */
export const MailScreen = (props: { readonly me: Me }) => {
  const [preferences, , set] = useLoad(
    () => authed({ path: path(props.me), codec: MailPreferences }),
    [props.me.id],
  );
  const { run, busy, error } = useCommand();
  const change = async (body: Partial<MailPreferences>) => {
    const answer = await run(() =>
      authed({ method: "POST", path: path(props.me), codec: MailPreferences, body }),
    );
    if (answer !== undefined) set(() => answer);
  };
  return (
    <Page title="E-mail">
      <Alert message={error} />
      <Show state={preferences}>
        {(p) => (
          <form onSubmit={(e) => e.preventDefault()}>
            <fieldset disabled={busy}>
              <legend>Tell me by e-mail when</legend>
              {Object.entries(p.kinds).map(([kind, on]) => (
                <label key={kind}>
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={() => void change({ kinds: { [kind]: !on } })}
                  />{" "}
                  {KIND_WORDS[kind] ?? kind}
                </label>
              ))}
            </fieldset>
            <label>
              Language{" "}
              <select
                value={p.language ?? "ru"}
                disabled={busy}
                onChange={(e) =>
                  void change({ language: (e.target as HTMLSelectElement).value as "ru" | "en" })
                }
              >
                <option value="ru">Русский</option>
                <option value="en">English</option>
              </select>
            </label>
          </form>
        )}
      </Show>
    </Page>
  );
};
