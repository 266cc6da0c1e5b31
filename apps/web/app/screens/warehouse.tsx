import { useEffect, useState } from "preact/hooks";
import type { QueueEntry, StockLevel, WarehouseOrder } from "../api/codecs.js";
import { catalogApi, deliveryApi, warehouseApi } from "../api/endpoints.js";
import { followStaff } from "../api/live.js";
import { Alert, Page, Show } from "../ui/bits.js";
import { formatDate, statusWords } from "../ui/format.js";
import { useCommand, useLoad } from "../ui/hooks.js";

/** For staff pages without a pushed feed of their own: their views are read again this often. */
export const STAFF_REFRESH_MS = 2000;

/** Where an order's status (a command's answer) puts it on the warehouse floor. */
const STAGE_OF_STATUS: Readonly<Record<string, QueueEntry["stage"]>> = {
  placed: "to_process",
  processing: "processing",
  assembled: "assembled",
  handed_to_courier: "done",
  cancelled: "cancelled",
};

const STAGE_RANK: ReadonlyArray<QueueEntry["stage"]> = [
  "draft",
  "to_process",
  "processing",
  "assembled",
  "done",
  "cancelled",
];
const rank = (stage: QueueEntry["stage"]) => STAGE_RANK.indexOf(stage);

/** The queue's order: the oldest placed first, as the warehouse's view lists it. */
const oldestFirst = (a: QueueEntry, b: QueueEntry) =>
  (a.placedAt ?? a.updatedAt).localeCompare(b.placedAt ?? b.updatedAt);

const QueueRow = (props: {
  readonly entry: QueueEntry;
  readonly couriers: ReadonlyArray<{ id: string; name: string }>;
  readonly onAnswer: (order: WarehouseOrder) => void;
}) => {
  const { entry } = props;
  const { busy, error, run } = useCommand();
  const [courier, setCourier] = useState("");
  const act = async (command: () => ReturnType<typeof warehouseApi.startProcessing>) => {
    const order = await run(command);
    if (order !== undefined) props.onAnswer(order);
  };
  const label = <span class="visually-hidden"> order {entry.orderId.slice(0, 8)}</span>;
  const picking = new Map<string, number>();
  for (const l of entry.lines) picking.set(l.sku, (picking.get(l.sku) ?? 0) + l.quantity);
  return (
    <li class="card" data-testid={`queue-${entry.orderId}`}>
      <h2>
        Order <code>{entry.orderId.slice(0, 8)}</code>{" "}
        <span class="badge">{statusWords(entry.stage)}</span>
      </h2>
      <p>{entry.placedAt === null ? null : <>Placed {formatDate(entry.placedAt)}</>}</p>
      <ul>
        {[...picking].map(([sku, quantity]) => (
          <li key={sku}>
            {quantity} × <code>{sku}</code>
          </li>
        ))}
      </ul>
      {entry.stage === "to_process" ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => void act(() => warehouseApi.startProcessing(entry.orderId))}
        >
          Start processing{label}
        </button>
      ) : entry.stage === "processing" ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => void act(() => warehouseApi.markAssembled(entry.orderId))}
        >
          Mark{label} assembled
        </button>
      ) : entry.stage === "assembled" ? (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => warehouseApi.handToCourier(entry.orderId, courier));
          }}
        >
          <label for={`courier-${entry.orderId}`}>Courier</label>
          <select
            id={`courier-${entry.orderId}`}
            required
            value={courier}
            onChange={(e) => setCourier(e.currentTarget.value)}
          >
            <option value="">Choose…</option>
            {props.couriers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            Hand{label} to courier
          </button>
        </form>
      ) : null}
      <Alert message={error} />
    </li>
  );
};

export const WarehouseQueueScreen = () => {
  const [queue, reload, update] = useLoad(() => warehouseApi.queue(), []);
  // Pushed by the site's staff feed: an order placed or moved anywhere shows at once, unpolled.
  useEffect(
    () =>
      followStaff({
        ready: () => void reload(),
        order: ({ orderId, stage, lines, placedAt, updatedAt }) =>
          update((before) =>
            // A push older than what a read just brought changes nothing.
            before === undefined ||
            before.orders.some((o) => o.orderId === orderId && o.updatedAt > updatedAt)
              ? undefined
              : {
                  ...before,
                  orders: [
                    ...before.orders.filter((o) => o.orderId !== orderId),
                    { orderId, stage, lines, placedAt, updatedAt },
                  ].sort(oldestFirst),
                },
          ),
        stock: () => {},
      }),
    [],
  );
  const [couriers] = useLoad(() => deliveryApi.couriers(), []);
  // Read-your-writes: a command's answer shows at once, until the queue's view has caught up.
  const [answered, setAnswered] = useState<ReadonlyMap<string, QueueEntry["stage"]>>(new Map());
  return (
    <Page title="Work queue">
      <Show state={queue}>
        {(q) => {
          // An answer is shown only while the view is behind it: the view wins once it caught up.
          const stageOf = (e: QueueEntry) => {
            const told = answered.get(e.orderId);
            return told !== undefined && rank(told) > rank(e.stage) ? told : e.stage;
          };
          const entries = q.orders
            .map((e) => ({ ...e, stage: stageOf(e) }))
            .filter((e) => e.stage !== "done" && e.stage !== "cancelled");
          return entries.length === 0 ? (
            <p>Nothing to do: every order is out.</p>
          ) : (
            <ul class="cards" aria-live="polite">
              {entries.map((e) => (
                <QueueRow
                  key={e.orderId}
                  entry={e}
                  couriers={couriers.kind === "loaded" ? couriers.value : []}
                  onAnswer={(order) => {
                    const stage = STAGE_OF_STATUS[order.status];
                    if (stage !== undefined) {
                      setAnswered((before) => new Map(before).set(order.orderId, stage));
                    }
                  }}
                />
              ))}
            </ul>
          );
        }}
      </Show>
    </Page>
  );
};

const ReceiveForm = (props: {
  readonly skus: ReadonlyArray<{ sku: string; name: string }>;
  readonly onAnswer: (level: StockLevel) => void;
}) => {
  const [sku, setSku] = useState("");
  const [quantity, setQuantity] = useState("1");
  const { busy, error, run } = useCommand();
  return (
    <form
      class="inline"
      aria-label="Receive stock"
      onSubmit={async (e) => {
        e.preventDefault();
        const level = await run(() => warehouseApi.receive(sku, Number(quantity)));
        if (level !== undefined) props.onAnswer(level);
      }}
    >
      <label for="receive-sku">Product</label>
      <select id="receive-sku" required value={sku} onChange={(e) => setSku(e.currentTarget.value)}>
        <option value="">Choose…</option>
        {props.skus.map((p) => (
          <option key={p.sku} value={p.sku}>
            {p.name}
          </option>
        ))}
      </select>
      <label for="receive-quantity">Units received</label>
      <input
        id="receive-quantity"
        type="number"
        min={1}
        required
        value={quantity}
        onInput={(e) => setQuantity(e.currentTarget.value)}
      />
      <button type="submit" disabled={busy}>
        Receive
      </button>
      <Alert message={error} />
    </form>
  );
};

export const StockScreen = () => {
  const [products] = useLoad(() => catalogApi.products(), []);
  const skus = products.kind === "loaded" ? products.value.map((p) => p.sku) : [];
  const [levels, reload, update] = useLoad(
    async () =>
      skus.length === 0 ? { ok: true, value: [], etag: null } : warehouseApi.stock(skus),
    [skus.join(",")],
  );
  // Only the rows shown: the read lists every product of the catalog.
  const replace = (level: StockLevel) =>
    update((before) => before?.map((l) => (l.sku === level.sku ? level : l)));
  useEffect(() => followStaff({ ready: () => void reload(), stock: replace, order: () => {} }), []);
  return (
    <Page title="Stock">
      <Show state={products}>
        {(all) => (
          <>
            <ReceiveForm skus={all} onAnswer={replace} />
            <Show state={levels}>
              {(ls) => (
                <table>
                  <caption class="visually-hidden">Stock levels</caption>
                  <thead>
                    <tr>
                      <th scope="col">Product</th>
                      <th scope="col">On hand</th>
                      <th scope="col">Reserved</th>
                      <th scope="col">Available</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ls.map((l) => (
                      <tr key={l.sku} data-testid={`stock-${l.sku}`}>
                        <th scope="row">{all.find((p) => p.sku === l.sku)?.name ?? l.sku}</th>
                        <td>{l.onHand}</td>
                        <td>{l.reserved}</td>
                        <td>{l.available}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Show>
          </>
        )}
      </Show>
    </Page>
  );
};
