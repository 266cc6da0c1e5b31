import { useState } from "preact/hooks";
import type { DeliveryState } from "../api/codecs.js";
import { deliveryApi } from "../api/endpoints.js";
import { createStore } from "../api/store.js";
import { Alert, Page } from "../ui/bits.js";
import { statusWords } from "../ui/format.js";
import { useCommand, useStore } from "../ui/hooks.js";

/**
 * The deliveries this courier opened in this tab. The delivery service lists deliveries only to
 * dispatchers, so a courier opens each one by its order number (on the parcel's slip).
 */
const opened = createStore<ReadonlyArray<DeliveryState>>([]);
const keep = (d: DeliveryState) =>
  opened.set([d, ...opened.get().filter((x) => x.orderId !== d.orderId)]);

const DeliveryCard = (props: { readonly delivery: DeliveryState }) => {
  const d = props.delivery;
  const [reason, setReason] = useState("");
  const { busy, error, run } = useCommand();
  const open = d.status === "assigned" || d.status === "picked_up";
  const label = <span class="visually-hidden"> order {d.orderId.slice(0, 8)}</span>;
  return (
    <li class="card" data-testid={`delivery-${d.orderId}`}>
      <h2>
        Order <code>{d.orderId.slice(0, 8)}</code>{" "}
        <span class="badge" data-testid="delivery-status">
          {statusWords(d.status)}
        </span>
      </h2>
      {open ? (
        <>
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              const done = await run(() => deliveryApi.complete(d.orderId));
              if (done !== undefined) keep(done);
            }}
          >
            Delivered{label}
          </button>
          <form
            class="inline"
            onSubmit={async (e) => {
              e.preventDefault();
              const done = await run(() => deliveryApi.fail(d.orderId, reason));
              if (done !== undefined) keep(done);
            }}
          >
            <label for={`reason-${d.orderId}`}>Why it failed</label>
            <input
              id={`reason-${d.orderId}`}
              required
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
            <button type="submit" class="secondary" disabled={busy}>
              Failed{label}
            </button>
          </form>
        </>
      ) : null}
      <Alert message={error} />
    </li>
  );
};

export const CourierScreen = () => {
  const list = useStore(opened);
  const [orderId, setOrderId] = useState("");
  const { busy, error, run } = useCommand();
  return (
    <Page title="My deliveries">
      <form
        class="inline"
        aria-label="Open a delivery"
        onSubmit={async (e) => {
          e.preventDefault();
          const d = await run(() => deliveryApi.delivery(orderId.trim()));
          if (d !== undefined) {
            keep(d);
            setOrderId("");
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
      <ul class="cards">
        {list.map((d) => (
          <DeliveryCard key={d.orderId} delivery={d} />
        ))}
      </ul>
    </Page>
  );
};
