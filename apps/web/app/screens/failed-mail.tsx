import { useState } from "preact/hooks";
import type { FailedMail } from "../api/codecs.js";
import { admin } from "../api/endpoints.js";
import { Alert, Page, Show } from "../ui/bits.js";
import { useCommand, useLoad } from "../ui/hooks.js";

const short = (id: string) => id.slice(0, 8);

/** One failed message: why it failed, and a reason to send it again (kept with it). */
const FailedRow = (props: { readonly mail: FailedMail; readonly onResent: () => void }) => {
  const { mail } = props;
  const [reason, setReason] = useState("");
  const { busy, error, run, setError } = useCommand();
  const label = `${mail.kind.replaceAll("_", " ")} mail of order ${short(mail.orderId)}`;
  const field = `reason-${mail.id}`;
  return (
    <li class="card" data-testid={`failed-mail-${mail.orderId}-${mail.kind}`}>
      <h2>
        Order <code>{short(mail.orderId)}</code>: {mail.kind.replaceAll("_", " ")}
      </h2>
      <p>
        To customer <code>{mail.customerId}</code> after {mail.attempts} attempt(s):{" "}
        <span data-testid="failure-reason">{mail.error}</span>
      </p>
      {mail.resends.length === 0 ? null : (
        <p>
          Sent again {mail.resends.length} time(s), last by {mail.resends.at(-1)?.by}:{" "}
          {mail.resends.at(-1)?.reason}
        </p>
      )}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (reason.trim() === "") {
            setError("Say why it is sent again.");
            return;
          }
          if ((await run(() => admin.resendMail(mail.id, reason.trim()))) !== undefined) {
            props.onResent();
          }
        }}
      >
        <label for={field}>
          Why send it again<span class="visually-hidden"> ({label})</span>
        </label>
        <input
          id={field}
          maxLength={500}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />{" "}
        <button type="submit" disabled={busy}>
          Resend<span class="visually-hidden"> {label}</span>
        </button>
        <Alert message={error} />
      </form>
    </li>
  );
};

/** The admin's failed customers' e-mail, newest first, each with why and a way to send it again. */
export const FailedMailScreen = () => {
  const [list, reload] = useLoad(() => admin.failedMail(), []);
  return (
    <Page title="Failed mail">
      <p>
        Customers' e-mail the mail server refused for good, or that the shop gave up on after its
        attempts. Sent again, it goes to the customer's address as it is now, from its first
        attempt.
      </p>
      <Show state={list}>
        {(l) =>
          l.messages.length === 0 ? (
            <p>No failed mail.</p>
          ) : (
            <ul class="cards" aria-live="polite">
              {l.messages.map((m) => (
                <FailedRow key={m.id} mail={m} onResent={() => void reload()} />
              ))}
            </ul>
          )
        }
      </Show>
    </Page>
  );
};
