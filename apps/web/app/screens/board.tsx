import { useEffect, useState } from "preact/hooks";
import type { Board, BoardEntry, CourierLoad, DeliveryState } from "../api/codecs.js";
import { followDeliveries } from "../api/delivery-live.js";
import { deliveryApi } from "../api/endpoints.js";
import { Alert, Page, Show } from "../ui/bits.js";
import { formatDate, formatWindow, statusWords } from "../ui/format.js";
import { useCommand, useLoad } from "../ui/hooks.js";

type Answered = ReadonlyMap<string, DeliveryState>;

const short = (orderId: string) => orderId.slice(0, 8);

/**
 * Whether the board already shows what a command answered, or what came of it: the same status
 * and courier, or, for a delivery the answer left awaiting a courier, the courier the assignment
 * manager gave it since (the board may never have caught the moment it waited).
 */
const shows = (board: Board, d: DeliveryState): boolean => {
  const all = [...board.awaitingCourier, ...Object.values(board.byCourier).flat()];
  const entry = all.find((e) => e.orderId === d.orderId);
  if (entry === undefined) return d.status !== "awaiting_courier" && d.status !== "assigned";
  if (d.status === "awaiting_courier" && entry.status !== "awaiting_courier") return true;
  return entry.status === d.status && entry.courierId === d.courierId;
};

/**
 * The board with the answers of this page's own commands laid over it (read-your-writes): an
 * answered delivery is shown where its answer puts it until the board's view has caught up.
 */
const withAnswers = (board: Board, answered: Answered) => {
  const answeredEntry = (e: BoardEntry): BoardEntry | undefined => {
    const d = answered.get(e.orderId);
    return d === undefined
      ? e
      : {
          ...e,
          status: d.status as BoardEntry["status"],
          courierId: d.courierId,
          window: d.window,
        };
  };
  const all = [
    ...board.awaitingCourier,
    ...Object.values(board.byCourier).flat(),
    ...(board.failed ?? []),
  ]
    .map(answeredEntry)
    .filter((e): e is BoardEntry => e !== undefined);
  const unique = [...new Map(all.map((e) => [e.orderId, e])).values()];
  const byCourier = new Map<string, BoardEntry[]>(
    Object.keys(board.byCourier).map((id) => [id, []]),
  );
  for (const e of unique) {
    if ((e.status === "assigned" || e.status === "picked_up") && e.courierId !== null) {
      byCourier.set(e.courierId, [...(byCourier.get(e.courierId) ?? []), e]);
    }
  }
  return {
    awaiting: unique.filter((e) => e.status === "awaiting_courier"),
    byCourier,
    failed: unique.filter((e) => e.status === "failed"),
  };
};

/** A courier to choose, with how much each carries; full ones cannot be chosen. */
const CourierChoice = (props: {
  readonly id: string;
  readonly label: string;
  readonly couriers: ReadonlyArray<CourierLoad>;
  readonly except?: string | null;
  readonly value: string;
  readonly onChange: (value: string) => void;
}) => (
  <>
    <label for={props.id}>{props.label}</label>
    <select
      id={props.id}
      required
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      <option value="">Choose…</option>
      {props.couriers
        .filter((c) => c.id !== props.except)
        .map((c) => (
          <option key={c.id} value={c.id} disabled={c.active >= c.capacity}>
            {c.name} ({c.active} of {c.capacity})
          </option>
        ))}
    </select>
  </>
);

/** Assigning a waiting delivery, or re-assigning one not yet picked up. */
const AssignForm = (props: {
  readonly entry: BoardEntry;
  readonly couriers: ReadonlyArray<CourierLoad>;
  readonly reassign: boolean;
  readonly onAnswer: (d: DeliveryState) => void;
}) => {
  const [courier, setCourier] = useState("");
  const { busy, error, run } = useCommand();
  const { orderId } = props.entry;
  const verb = props.reassign ? "Re-assign" : "Assign";
  return (
    <>
      <form
        class="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          const done = await run(() =>
            props.reassign
              ? deliveryApi.reassign(orderId, courier)
              : deliveryApi.assign(orderId, courier),
          );
          if (done !== undefined) {
            setCourier("");
            props.onAnswer(done);
          }
        }}
      >
        <CourierChoice
          id={`${props.reassign ? "reassign" : "assign"}-${orderId}`}
          label={props.reassign ? `Re-assign order ${short(orderId)} to` : "Courier"}
          couriers={props.couriers}
          except={props.reassign ? props.entry.courierId : null}
          value={courier}
          onChange={setCourier}
        />
        <button type="submit" disabled={busy}>
          {verb}
          <span class="visually-hidden"> order {short(orderId)}</span>
        </button>
      </form>
      <Alert message={error} />
    </>
  );
};

const RequestAgain = (props: {
  readonly entry: BoardEntry;
  readonly onAnswer: (d: DeliveryState) => void;
}) => {
  const { busy, error, run } = useCommand();
  const { orderId } = props.entry;
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          const done = await run(() => deliveryApi.rerequest(orderId));
          if (done !== undefined) props.onAnswer(done);
        }}
      >
        Request again<span class="visually-hidden"> the delivery of order {short(orderId)}</span>
      </button>
      <Alert message={error} />
    </>
  );
};

export const BoardScreen = () => {
  // Pushed, not polled: read again whenever the delivery service says the board changed.
  const [board, reload] = useLoad(() => deliveryApi.board(), []);
  const [couriers, reloadCouriers] = useLoad(() => deliveryApi.couriers(), []);
  useEffect(
    () =>
      followDeliveries(() => {
        void reload();
        void reloadCouriers();
      }),
    [reload, reloadCouriers],
  );
  const [answered, setAnswered] = useState<Answered>(new Map());
  // An answer is laid over the board only until the board shows it by itself.
  useEffect(() => {
    if (board.kind !== "loaded" || answered.size === 0) return;
    const pending = [...answered].filter(([, d]) => !shows(board.value, d));
    if (pending.length !== answered.size) setAnswered(new Map(pending));
  }, [board, answered]);
  const all = couriers.kind === "loaded" ? couriers.value : [];
  const nameOf = (id: string | null) => all.find((c) => c.id === id)?.name ?? id ?? "";
  const onAnswer = (d: DeliveryState) => {
    setAnswered((before) => new Map(before).set(d.orderId, d));
    void reload();
    void reloadCouriers();
  };
  return (
    <Page title="Delivery board">
      <Show state={board}>
        {(b) => {
          const { awaiting, byCourier, failed } = withAnswers(b, answered);
          return (
            <div class="columns">
              <section aria-labelledby="awaiting-title">
                <h2 id="awaiting-title">Awaiting a courier ({awaiting.length})</h2>
                {awaiting.length === 0 ? <p>None.</p> : null}
                <ul class="cards" aria-live="polite">
                  {awaiting.map((e) => (
                    <li key={e.orderId} class="card" data-testid={`awaiting-${e.orderId}`}>
                      <p>
                        Order <code>{short(e.orderId)}</code>, waiting since{" "}
                        {formatDate(e.requestedAt)}
                        {e.failureReason === null ? null : <> (last try: {e.failureReason})</>}
                      </p>
                      <AssignForm entry={e} couriers={all} reassign={false} onAnswer={onAnswer} />
                    </li>
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
                          Order <code>{short(e.orderId)}</code>{" "}
                          <span class="badge">{statusWords(e.status)}</span>{" "}
                          <span data-testid="window">{formatWindow(e.window)}</span>
                          {e.status === "assigned" ? (
                            <AssignForm entry={e} couriers={all} reassign onAnswer={onAnswer} />
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </section>
              {failed.length === 0 ? null : (
                <section aria-labelledby="failed-title">
                  <h2 id="failed-title">Failed ({failed.length})</h2>
                  <ul class="cards" aria-live="polite">
                    {failed.map((e) => (
                      <li key={e.orderId} class="card" data-testid={`failed-${e.orderId}`}>
                        <p>
                          Order <code>{short(e.orderId)}</code>: {e.failureReason ?? "failed"}
                        </p>
                        <RequestAgain entry={e} onAnswer={onAnswer} />
                      </li>
                    ))}
                  </ul>
                </section>
              )}
            </div>
          );
        }}
      </Show>
    </Page>
  );
};
