import { formatAddress } from "@mebel/core";
import { useEffect, useState } from "preact/hooks";
import type { Me, Notification, OrderView } from "../api/codecs.js";
import { shop } from "../api/endpoints.js";
import { followCustomer } from "../api/live.js";
import { Alert, Page, Show } from "../ui/bits.js";
import { formatDate, formatMoney, formatWindow, statusWords } from "../ui/format.js";
import { useCommand, useLoad } from "../ui/hooks.js";
import { Link } from "../ui/router.js";

/** The customer's views, kept live by their server-sent events (never polled). */
const useLiveOrders = (me: Me) => {
  const [orders, reload, set] = useLoad(() => shop.orders(me.id), [me.id]);
  useEffect(
    () =>
      followCustomer(me.id, {
        ready: () => void reload(),
        order: (view) =>
          set((before) => [view, ...(before ?? []).filter((o) => o.orderId !== view.orderId)]),
        notification: () => {},
      }),
    [me.id],
  );
  return orders;
};

/** Who caused a step, as the timeline tells it (a role, never a staff member's account). */
const BY_WORDS: Readonly<Record<string, string>> = {
  customer: "you",
  warehouse: "the warehouse",
  dispatcher: "the dispatcher",
  courier: "the courier",
  catalog: "the catalog",
  admin: "the shop",
  system: "automatically",
};

const newestFirst = (a: OrderView, b: OrderView) => b.createdAt.localeCompare(a.createdAt);

export const OrdersScreen = (props: { readonly me: Me }) => {
  const orders = useLiveOrders(props.me);
  return (
    <Page title="My orders">
      <Show state={orders}>
        {(all) => {
          const placed = all.filter((o) => o.status !== "draft").sort(newestFirst);
          return placed.length === 0 ? (
            <p>No orders yet.</p>
          ) : (
            <ul class="list" aria-live="polite">
              {placed.map((o) => (
                <li key={o.orderId}>
                  <Link href={`/orders/${o.orderId}`}>
                    Order of {formatDate(o.placedAt ?? o.createdAt)}
                  </Link>{" "}
                  <span class="badge">{statusWords(o.status)}</span> {formatMoney(o.total)}
                </li>
              ))}
            </ul>
          );
        }}
      </Show>
    </Page>
  );
};

/** Until the courier has it, an order can still be cancelled (the warehouse decides). */
const CANCELLABLE = new Set([
  "placed",
  "processing",
  "assembled",
  "awaiting_courier",
  "courier_assigned",
]);

const CancelOrder = (props: {
  readonly me: Me;
  readonly order: OrderView;
  readonly onCancelled: () => void;
}) => {
  const { busy, error, run } = useCommand();
  if (!CANCELLABLE.has(props.order.status)) return null;
  return (
    <>
      <button
        type="button"
        class="secondary"
        disabled={busy}
        onClick={async () => {
          const done = await run(() =>
            shop.cancel(props.me.id, props.order.orderId, "Cancelled by the customer"),
          );
          if (done !== undefined) props.onCancelled();
        }}
      >
        Cancel this order
      </button>
      <Alert message={error} />
    </>
  );
};

export const OrderScreen = (props: { readonly me: Me; readonly orderId: string }) => {
  const [order, reload, set] = useLoad(
    () => shop.order(props.me.id, props.orderId),
    [props.me.id, props.orderId],
  );
  useEffect(
    () =>
      followCustomer(props.me.id, {
        ready: () => void reload(),
        order: (view) => {
          if (view.orderId === props.orderId) set(() => view);
        },
        notification: () => {},
      }),
    [props.me.id, props.orderId],
  );
  return (
    <Page title="Your order">
      <Show state={order}>
        {(o) => (
          <>
            <p>
              Status:{" "}
              <strong class="badge" data-testid="order-status" aria-live="polite">
                {statusWords(o.status)}
              </strong>
            </p>
            <p>
              {o.lines.length} {o.lines.length === 1 ? "line" : "lines"}, total{" "}
              {formatMoney(o.total)}
              {o.deliveryAddress === null ? null : <>, to {formatAddress(o.deliveryAddress)}</>}
            </p>
            {o.status === "courier_assigned" ||
            (o.status === "out_for_delivery" && o.deliveryWindow !== null) ? (
              <p>
                Your courier comes{" "}
                <strong data-testid="delivery-window">{formatWindow(o.deliveryWindow)}</strong>.
              </p>
            ) : null}
            <CancelOrder
              me={props.me}
              order={o}
              onCancelled={() =>
                // Read-your-writes: the answer shows at once; the view's next push replaces it.
                set((before) => ({ ...(before ?? o), status: "cancelled" }))
              }
            />
            <h2>Timeline</h2>
            <ol class="timeline" data-testid="timeline">
              {o.timeline.map((step) => (
                <li key={`${step.stream}-${step.revision}`}>
                  <time dateTime={step.occurredAt}>{formatDate(step.occurredAt)}</time>{" "}
                  {step.summary}
                  {step.by === undefined ? null : (
                    <span class="by"> · {BY_WORDS[step.by] ?? step.by}</span>
                  )}
                </li>
              ))}
            </ol>
          </>
        )}
      </Show>
    </Page>
  );
};

export const NotificationsScreen = (props: { readonly me: Me }) => {
  const [list, reload] = useLoad(() => shop.notifications(props.me.id), [props.me.id]);
  const [fresh, setFresh] = useState<ReadonlyArray<Notification>>([]);
  useEffect(
    () =>
      followCustomer(props.me.id, {
        ready: () => {
          setFresh([]);
          void reload();
        },
        order: () => {},
        notification: (n) => setFresh((before) => [n, ...before]),
      }),
    [props.me.id],
  );
  return (
    <Page title="Notifications">
      <Show state={list}>
        {(stored) => {
          const seen = new Set(fresh.map((n) => n.id));
          const all = [...fresh, ...stored.filter((n) => !seen.has(n.id))];
          return all.length === 0 ? (
            <p>Nothing yet.</p>
          ) : (
            <ul class="list" aria-live="polite">
              {all.map((n) => (
                <li key={n.id}>
                  <time dateTime={n.at}>{formatDate(n.at)}</time> {n.message}{" "}
                  {n.window === undefined || n.window === null ? null : (
                    <>({formatWindow(n.window)}) </>
                  )}
                  <Link href={`/orders/${n.orderId}`}>See the order</Link>
                </li>
              ))}
            </ul>
          );
        }}
      </Show>
    </Page>
  );
};
