import { useEffect, useState } from "preact/hooks";
import type { BoardEntry, CourierLoad } from "../api/codecs.js";
import { deliveryApi } from "../api/endpoints.js";
import { Alert, Page, Show } from "../ui/bits.js";
import { formatDate, statusWords } from "../ui/format.js";
import { useCommand, useLoad } from "../ui/hooks.js";
import { STAFF_REFRESH_MS } from "./warehouse.js";

const Awaiting = (props: {
  readonly entry: BoardEntry;
  readonly couriers: ReadonlyArray<CourierLoad>;
  readonly onAssigned: (orderId: string, courierId: string) => void;
}) => {
  const [courier, setCourier] = useState("");
  const { busy, error, run } = useCommand();
  const id = `assign-${props.entry.orderId}`;
  return (
    <li class="card" data-testid={`awaiting-${props.entry.orderId}`}>
      <p>
        Order <code>{props.entry.orderId.slice(0, 8)}</code>, waiting since{" "}
        {formatDate(props.entry.requestedAt)}
        {props.entry.failureReason === null ? null : <> (last try: {props.entry.failureReason})</>}
      </p>
      <form
        class="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          const done = await run(() => deliveryApi.assign(props.entry.orderId, courier));
          if (done !== undefined) props.onAssigned(props.entry.orderId, courier);
        }}
      >
        <label for={id}>Courier</label>
        <select
          id={id}
          required
          value={courier}
          onChange={(e) => setCourier(e.currentTarget.value)}
        >
          <option value="">Choose…</option>
          {props.couriers.map((c) => (
            <option key={c.id} value={c.id} disabled={c.active >= c.capacity}>
              {c.name} ({c.active} of {c.capacity})
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          Assign
        </button>
      </form>
      <Alert message={error} />
    </li>
  );
};

export const BoardScreen = () => {
  const [board, reload] = useLoad(() => deliveryApi.board(), [], STAFF_REFRESH_MS);
  const [couriers, reloadCouriers] = useLoad(() => deliveryApi.couriers(), [], STAFF_REFRESH_MS);
  // Read-your-writes: an assignment shows at once, until the board's view has it.
  const [assigned, setAssigned] = useState<ReadonlyMap<string, string>>(new Map());
  // Once the board no longer lists it as awaiting, the view has caught up with the answer.
  useEffect(() => {
    if (board.kind !== "loaded" || assigned.size === 0) return;
    const awaiting = new Set<string>(board.value.awaitingCourier.map((e) => e.orderId));
    if ([...assigned.keys()].some((id) => !awaiting.has(id))) {
      setAssigned((before) => new Map([...before].filter(([id]) => awaiting.has(id))));
    }
  }, [board, assigned]);
  const all = couriers.kind === "loaded" ? couriers.value : [];
  const nameOf = (id: string | null) => all.find((c) => c.id === id)?.name ?? id ?? "";
  return (
    <Page title="Delivery board">
      <Show state={board}>
        {(b) => {
          const awaiting = b.awaitingCourier.filter((e) => !assigned.has(e.orderId));
          const byCourier = new Map(Object.entries(b.byCourier));
          for (const [orderId, courierId] of assigned) {
            const list = byCourier.get(courierId) ?? [];
            const entry = b.awaitingCourier.find((e) => e.orderId === orderId);
            if (entry !== undefined && !list.some((e) => e.orderId === orderId)) {
              byCourier.set(courierId, [
                ...list,
                { ...entry, status: "assigned", courierId: courierId as BoardEntry["courierId"] },
              ]);
            }
          }
          return (
            <div class="columns">
              <section aria-labelledby="awaiting-title">
                <h2 id="awaiting-title">Awaiting a courier ({awaiting.length})</h2>
                {awaiting.length === 0 ? <p>None.</p> : null}
                <ul class="cards" aria-live="polite">
                  {awaiting.map((e) => (
                    <Awaiting
                      key={e.orderId}
                      entry={e}
                      couriers={all}
                      onAssigned={(orderId, courierId) => {
                        setAssigned((before) => new Map(before).set(orderId, courierId));
                        void reload();
                        void reloadCouriers();
                      }}
                    />
                  ))}
                </ul>
              </section>
              <section aria-labelledby="assigned-title">
                <h2 id="assigned-title">Assigned</h2>
                {[...byCourier].map(([courierId, entries]) => (
                  <div key={courierId}>
                    <h3>{nameOf(courierId)}</h3>
                    {entries.length === 0 ? <p>Free.</p> : null}
                    <ul class="list" aria-live="polite">
                      {entries.map((e) => (
                        <li key={e.orderId} data-testid={`assigned-${e.orderId}`}>
                          Order <code>{e.orderId.slice(0, 8)}</code>{" "}
                          <span class="badge">{statusWords(e.status)}</span>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </section>
            </div>
          );
        }}
      </Show>
    </Page>
  );
};
