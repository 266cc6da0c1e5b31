import { useEffect, useState } from "preact/hooks";
import type { BoardEntry, DeliveryState } from "../api/codecs.js";
import { followDeliveries } from "../api/delivery-live.js";
import { deliveryApi } from "../api/endpoints.js";
import type { Result } from "../api/http.js";
import { currentMe } from "../api/session.js";
import { createStore } from "../api/store.js";
import { Alert, Page } from "../ui/bits.js";
import { formatWindow, statusWords } from "../ui/format.js";
import { useCommand, useLoad, useStore } from "../ui/hooks.js";

/**
 * What this tab has learnt of deliveries beyond the courier's list: those opened by order number
 * (on the parcel's slip), and the answers of the courier's own commands, shown as answered until
 * the list says the same (read-your-writes). A delivery that leaves the list (delivered, failed,
 * given to another courier) stays here with its last answer.
 */
const known = createStore<ReadonlyArray<DeliveryState>>([]);
const keep = (d: DeliveryState) =>
  known.set([d, ...known.get().filter((x) => x.orderId !== d.orderId)]);

const DeliveryCard = (props: { readonly delivery: DeliveryState }) => {
  const d = props.delivery;
  const [reason, setReason] = useState("");
  const { busy, error, run } = useCommand();
  const short = d.orderId.slice(0, 8);
  const label = <span class="visually-hidden"> order {short}</span>;
  const act = async (command: () => ReturnType<typeof deliveryApi.complete>) => {
    const done = await run(command);
    if (done !== undefined) keep(done);
  };
  return (
    <li class="card" data-testid={`delivery-${d.orderId}`}>
      <h2>
        Order <code>{short}</code>{" "}
        <span class="badge" data-testid="delivery-status">
          {statusWords(d.status)}
        </span>
      </h2>
      {d.status === "assigned" || d.status === "picked_up" ? (
        <p>
          Expected by the customer:{" "}
          <span data-testid="delivery-window">{formatWindow(d.window)}</span>
        </p>
      ) : null}
      {d.status === "assigned" ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => act(() => deliveryApi.pickUp(d.orderId))}
        >
          Picked up{label}
        </button>
      ) : null}
      {d.status === "picked_up" ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => act(() => deliveryApi.complete(d.orderId))}
        >
          Delivered{label}
        </button>
      ) : null}
      {d.status === "assigned" || d.status === "picked_up" ? (
        <form
          class="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            await act(() => deliveryApi.fail(d.orderId, reason));
          }}
        >
          <label for={`reason-${d.orderId}`}>Why it failed{label}</label>
          <input
            id={`reason-${d.orderId}`}
            required
            maxLength={500}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <button type="submit" class="secondary" disabled={busy}>
            Failed{label}
          </button>
        </form>
      ) : null}
      <Alert message={error} />
    </li>
  );
};

export const CourierScreen = () => {
  const extra = useStore(known);
  const courierId = currentMe()?.courierId;
  // Staff who are not couriers (an admin) carry nothing: they open deliveries by number.
  const [mine, reload] = useLoad(async (): Promise<Result<ReadonlyArray<BoardEntry>>> => {
    if (courierId === undefined) return { ok: true, value: [], etag: null };
    const answer = await deliveryApi.mine(courierId);
    return answer.ok ? { ...answer, value: answer.value.deliveries } : answer;
  }, [courierId]);
  // Pushed, not polled: read again whenever the delivery service says a delivery changed.
  useEffect(() => followDeliveries(() => void reload()), [reload]);
  const listed = mine.kind === "loaded" ? mine.value : [];
  // An answer is kept only until the list shows the delivery as answered.
  useEffect(() => {
    const stale = extra.filter((d) =>
      listed.some((e) => e.orderId === d.orderId && e.status === d.status),
    );
    if (stale.length > 0) known.set(extra.filter((d) => !stale.includes(d)));
  }, [listed, extra]);
  const shown = [
    ...extra,
    ...listed
      .filter((e) => !extra.some((d) => d.orderId === e.orderId))
      .map((e) => ({
        orderId: e.orderId,
        status: e.status,
        courierId: e.courierId,
        window: e.window,
      })),
  ];
  const [orderId, setOrderId] = useState("");
  const { busy, error, run } = useCommand();
  return (
    <Page title="My deliveries">
      {mine.kind === "failed" ? <Alert message={mine.message} /> : null}
      {mine.kind === "loaded" && shown.length === 0 ? <p>Nothing to carry just now.</p> : null}
      <ul class="cards" aria-live="polite" data-testid="my-deliveries">
        {shown.map((d) => (
          <DeliveryCard key={d.orderId} delivery={d} />
        ))}
      </ul>
      <form
        class="inline"
        aria-label="Open a delivery"
        onSubmit={async (e) => {
          e.preventDefault();
          const d = await run(() => deliveryApi.delivery(orderId.trim()));
          if (d !== undefined) {
            keep(d);
            setOrderId("");
            void reload();
          }
        }}
      >
        <label for="open-order">Order number</label>
        <input
          id="open-order"
          required
          value={orderId}
          onInput={(e) => setOrderId(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Open delivery
        </button>
      </form>
      <Alert message={error} />
    </Page>
  );
};
