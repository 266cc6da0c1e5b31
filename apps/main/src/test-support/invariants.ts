import { isDeepStrictEqual } from "node:util";
import type { SqlClient } from "@mebel/adapter-postgres";
import {
  type AnyProjection,
  type DeliveryState,
  type DomainRecordedEvent,
  decodeBatch,
  deliveryDecider,
  type OrderState,
  orderDecider,
  readModelName,
  readView,
  replay,
  type StockItemState,
  type StoredEvent,
  stockItemDecider,
} from "@mebel/core";
import type { Outage } from "./cluster.js";
import { acknowledged, ambiguous, type CommandRecord, upstreamTimedOut } from "./journal.js";
import { SCARCE } from "./workload.js";

/** Violations by kind, each with how many and a few examples to start from. */
export type Violations = Record<string, { count: number; examples: string[] }>;

const EXAMPLES = 5;

/** Violations gathered one at a time, counted by kind, with the first few kept as examples. */
export const collector = () => {
  const violations: Violations = {};
  const add = (kind: string, example: string): void => {
    const entry = violations[kind] ?? { count: 0, examples: [] };
    violations[kind] = entry;
    entry.count++;
    if (entry.examples.length < EXAMPLES) entry.examples.push(example.slice(0, 700));
  };
  return { violations, add };
};

/** The whole log, read from the events table itself and decoded as every subscriber decodes it. */
export const readLog = async (
  client: SqlClient,
  schema: string,
): Promise<ReadonlyArray<DomainRecordedEvent>> => {
  const rows = await client.query<{
    position: string;
    stream_name: string;
    revision: string;
    event_id: string;
    type: string;
    data: unknown;
    metadata: unknown;
  }>(
    `SELECT position::text AS position, stream_name, revision::text AS revision, event_id::text AS event_id, type, data, metadata
       FROM ${schema}.events e ORDER BY e.position`,
  );
  const stored: StoredEvent[] = rows.map((r) => ({
    streamName: r.stream_name,
    revision: BigInt(r.revision),
    position: BigInt(r.position),
    eventId: r.event_id,
    type: r.type,
    data: r.data,
    metadata: r.metadata,
  }));
  return decodeBatch(stored);
};

/** The log by stream, in stream order. */
const byStream = (log: ReadonlyArray<DomainRecordedEvent>) => {
  const streams = new Map<string, DomainRecordedEvent[]>();
  for (const e of log) {
    const list = streams.get(e.streamName) ?? [];
    list.push(e);
    streams.set(e.streamName, list);
  }
  return streams;
};

const fold = <S>(
  initial: S,
  evolve: (s: S, e: never) => S,
  events: ReadonlyArray<DomainRecordedEvent> = [],
): S => events.reduce((s, e) => evolve(s, e.event as never), initial);

const data = (e: DomainRecordedEvent): Record<string, unknown> =>
  e.event.data as Record<string, unknown>;

/** What the log must hold for an acknowledged command of each kind. */
const expectedEvent: Record<
  string,
  (c: CommandRecord) => { readonly stream: string; readonly type: string; readonly lineId?: string }
> = {
  "order.create": (c) => ({ stream: `Order-${c.subject.orderId}`, type: "OrderCreated" }),
  "order.add-item": (c) => ({
    stream: `Order-${c.subject.orderId}`,
    type: "OrderItemAdded",
    ...(c.subject.lineId === undefined ? {} : { lineId: c.subject.lineId }),
  }),
  "order.remove-item": (c) => ({
    stream: `Order-${c.subject.orderId}`,
    type: "OrderItemRemoved",
    ...(c.subject.lineId === undefined ? {} : { lineId: c.subject.lineId }),
  }),
  "order.place": (c) => ({ stream: `Order-${c.subject.orderId}`, type: "OrderPlaced" }),
  "order.start-processing": (c) => ({
    stream: `Order-${c.subject.orderId}`,
    type: "OrderProcessingStarted",
  }),
  "order.mark-assembled": (c) => ({ stream: `Order-${c.subject.orderId}`, type: "OrderAssembled" }),
  "order.hand-to-courier": (c) => ({
    stream: `Order-${c.subject.orderId}`,
    type: "OrderHandedToCourier",
  }),
  "order.cancel": (c) => ({ stream: `Order-${c.subject.orderId}`, type: "OrderCancelled" }),
  "stock.receive": (c) => ({ stream: `StockItem-${c.subject.sku}`, type: "StockReceived" }),
  "delivery.complete": (c) => ({
    stream: `Delivery-${c.subject.orderId}`,
    type: "DeliveryCompleted",
  }),
};

/** Attempts in order, runs of the same outcome folded: `site:503 UPSTREAM_UNAVAILABLE x10`. */
const attemptsOf = (c: CommandRecord): string => {
  const runs: Array<{ text: string; times: number }> = [];
  for (const a of c.attempts) {
    const text = `${a.instance}:${"failure" in a ? a.failure : `${a.status}${a.code === undefined ? "" : ` ${a.code}`}`}`;
    const last = runs[runs.length - 1];
    if (last?.text === text) last.times++;
    else runs.push({ text, times: 1 });
  }
  return runs.map((r) => (r.times === 1 ? r.text : `${r.text} x${r.times}`)).join(", ");
};

export const describeCommand = (c: CommandRecord): string => {
  const answer = c.final === undefined ? "no answer" : `${c.final.status} ${c.final.code ?? ""}`;
  // A 400 names the fields it refused: the quickest way to what went wrong.
  const fields =
    c.final?.body?.errors === undefined ? "" : ` ${JSON.stringify(c.final.body.errors)}`;
  return `#${c.id} ${c.kind} ${c.method} ${c.path} ${JSON.stringify(c.body) ?? ""} -> ${answer}${fields} (attempts: ${attemptsOf(c)})`;
};

const typesOf = (events: ReadonlyArray<DomainRecordedEvent> | undefined): string =>
  events === undefined ? "no such stream" : events.map((e) => e.event.type).join(",");

/** A refusal the domain may rightly give for this command, given what the client knows. */
const expectedRefusal = (c: CommandRecord): boolean => {
  const code = c.final?.code;
  if (code === "INSUFFICIENT_STOCK") {
    return (SCARCE as ReadonlyArray<string | undefined>).includes(c.subject.sku);
  }
  // A retry after an attempt that got no answer finds the first one's effect.
  if (ambiguous(c)) {
    return (
      (c.kind === "order.remove-item" && code === "LINE_NOT_FOUND") ||
      (c.kind === "order.add-item" && code === "LINE_ABANDONED") ||
      (c.kind === "product.create" && code === "PRODUCT_ALREADY_EXISTS")
    );
  }
  return false;
};

/** Every command's answers: nothing lost, no 5xx but while an instance was down, no odd refusal. */
export const checkCommands = (
  commands: ReadonlyArray<CommandRecord>,
  log: ReadonlyArray<DomainRecordedEvent>,
  outages: ReadonlyArray<Outage>,
): Violations => {
  const { violations, add } = collector();
  const streams = byStream(log);
  const duringOutage = (at: number) =>
    outages.some((o) => at >= o.from - 1_000 && at <= (o.to ?? Number.POSITIVE_INFINITY) + 2_000);
  for (const c of commands) {
    for (const a of c.attempts) {
      if ("failure" in a || a.status < 500) continue;
      if (a.status === 503 && (duringOutage(a.at) || upstreamTimedOut(a))) continue;
      add(
        `${a.status} answered`,
        `${describeCommand(c)} at +${a.at - c.sentAt} ms on ${a.instance}${a.detail === undefined ? "" : `: ${a.detail}`}`,
      );
    }
    if (
      c.final === undefined ||
      c.final.status >= 500 ||
      c.final.code === "IDEMPOTENCY_KEY_IN_USE"
    ) {
      add("command never answered", describeCommand(c));
      continue;
    }
    if (acknowledged(c)) {
      const want = expectedEvent[c.kind]?.(c);
      if (want === undefined) continue;
      const events = streams.get(want.stream) ?? [];
      const found = events.some(
        (e) =>
          e.event.type === want.type &&
          e.metadata.correlationId === c.correlationId &&
          (want.lineId === undefined || data(e).lineId === want.lineId),
      );
      if (!found) {
        add(
          "acknowledged command lost",
          `${describeCommand(c)}: no ${want.type} with its correlation id in ${want.stream} (${typesOf(streams.get(want.stream))})`,
        );
      }
      continue;
    }
    if (!expectedRefusal(c)) {
      const stream = c.subject.orderId === undefined ? undefined : `Order-${c.subject.orderId}`;
      add(
        `refused ${c.final.code ?? c.final.status} against the log`,
        `${describeCommand(c)}; ${stream ?? c.subject.sku}: ${stream === undefined ? "" : typesOf(streams.get(stream))}`,
      );
    }
  }
  return violations;
};

const LIVE: ReadonlyArray<string> = ["draft", "placed", "processing", "assembled"];

/** What the client sent about an order and what it heard, for an example's reader. */
const histories = (commands: ReadonlyArray<CommandRecord>) => {
  const byOrder = new Map<string, string[]>();
  for (const c of commands) {
    if (c.subject.orderId === undefined) continue;
    const list = byOrder.get(c.subject.orderId) ?? [];
    list.push(
      `${c.kind.replace("order.", "")} ${c.final?.status ?? "-"}${c.final?.code === undefined ? "" : ` ${c.final.code}`}`,
    );
    byOrder.set(c.subject.orderId, list);
  }
  return (orderId: string) => `[sent: ${(byOrder.get(orderId) ?? ["nothing"]).join(", ")}]`;
};

/** The cross-aggregate rules, at quiet, from the log alone; `commands` only explain examples. */
export const checkLog = (
  log: ReadonlyArray<DomainRecordedEvent>,
  commands: ReadonlyArray<CommandRecord> = [],
): Violations => {
  const { violations, add: record } = collector();
  const history = histories(commands);
  const add = (kind: string, example: string, orderId?: string) =>
    record(kind, orderId === undefined ? example : `${example} ${history(orderId)}`);
  const streams = byStream(log);
  const ofCategory = (category: string) =>
    [...streams].filter(([name]) => name.startsWith(`${category}-`));

  const orders = new Map<string, OrderState>();
  for (const [name, events] of ofCategory("Order")) {
    orders.set(
      name.slice("Order-".length),
      fold(orderDecider.initialState, orderDecider.evolve, events),
    );
  }
  const dispatched = new Set<string>();
  const reservedLines = new Map<string, { sku: string; orderId: string }>();
  for (const [name, events] of ofCategory("StockItem")) {
    let state: StockItemState = stockItemDecider.initialState;
    let oversold = false;
    for (const e of events) {
      state = stockItemDecider.evolve(state, e.event as never);
      if (e.event.type === "StockDispatched") dispatched.add(String(data(e).lineId));
      if (!oversold && (state.reserved > state.onHand || state.onHand < 0)) {
        oversold = true;
        add(
          "oversold",
          `${name}@${e.revision}: ${state.reserved} reserved of ${state.onHand} on hand`,
        );
      }
    }
    for (const r of state.reservations) {
      reservedLines.set(r.lineId, { sku: name.slice("StockItem-".length), orderId: r.orderId });
    }
  }

  for (const [lineId, { sku, orderId }] of reservedLines) {
    const order = orders.get(orderId);
    if (order === undefined || order.status === "none" || !LIVE.includes(order.status)) {
      add(
        "reservation of a gone order not released or dispatched",
        `${sku} line ${lineId} of order ${orderId}, which is ${order?.status ?? "not in the log"}`,
        orderId,
      );
    } else if (order.lines[lineId] === undefined) {
      add(
        "orphaned reservation past the grace",
        `${sku} line ${lineId} of order ${orderId} (${order.status})`,
        orderId,
      );
    }
  }
  for (const [orderId, order] of orders) {
    if (order.status === "none" || !LIVE.includes(order.status)) continue;
    for (const lineId of Object.keys(order.lines)) {
      if (!reservedLines.has(lineId)) {
        add(
          "line without its reservation",
          `order ${orderId} (${order.status}) line ${lineId}`,
          orderId,
        );
      }
    }
  }

  for (const [name, events] of ofCategory("Order")) {
    const orderId = name.slice("Order-".length);
    const order = orders.get(orderId);
    const delivery = streams.get(`Delivery-${orderId}`);
    const requests = (delivery ?? []).filter((e) => e.event.type === "DeliveryRequested").length;
    const deliveryState: DeliveryState = fold(
      deliveryDecider.initialState,
      deliveryDecider.evolve,
      delivery,
    );
    const handed = events.find((e) => e.event.type === "OrderHandedToCourier");
    if (handed !== undefined) {
      if (deliveryState.status !== "picked_up" && deliveryState.status !== "completed") {
        add(
          "handed over, delivery not picked up",
          `order ${orderId}: delivery ${typesOf(delivery)}`,
          orderId,
        );
      }
      for (const line of data(handed).lines as ReadonlyArray<{ lineId: string; sku: string }>) {
        if (!dispatched.has(line.lineId)) {
          add(
            "handed over, stock not dispatched",
            `order ${orderId}: ${line.sku} line ${line.lineId}`,
            orderId,
          );
        }
      }
    }
    if (events.some((e) => e.event.type === "OrderAssembled")) {
      if (requests !== 1) {
        add(
          "assembled order without exactly one delivery",
          `order ${orderId}: ${requests} requests (${typesOf(delivery)})`,
          orderId,
        );
      }
      if (order?.status !== "cancelled" && deliveryState.status === "cancelled") {
        add("delivery cancelled for a live order", `order ${orderId} (${order?.status})`, orderId);
      }
      if (order?.status === "cancelled" && requests > 0 && deliveryState.status !== "cancelled") {
        add(
          "delivery of a cancelled order not cancelled",
          `order ${orderId}: ${typesOf(delivery)}`,
          orderId,
        );
      }
    } else if (requests > 0) {
      add(
        "delivery for an order never assembled",
        `order ${orderId}: ${typesOf(delivery)}`,
        orderId,
      );
    }
  }
  for (const [name, events] of ofCategory("Delivery")) {
    const requests = events.filter((e) => e.event.type === "DeliveryRequested").length;
    if (requests > 1) add("duplicate delivery requests", `${name}: ${typesOf(events)}`);
  }
  return violations;
};

/** Every stored read model of a schema against its replay from zero. */
export const checkProjections = async (
  client: SqlClient,
  schema: string,
  projections: ReadonlyArray<AnyProjection>,
  log: ReadonlyArray<DomainRecordedEvent>,
): Promise<Violations> => {
  const { violations, add } = collector();
  for (const projection of projections) {
    const rows = await client.query<{ key: string; doc: unknown }>(
      `SELECT key, doc FROM ${schema}.read_model_docs WHERE projection = $1`,
      [readModelName(projection)],
    );
    const stored = new Map(rows.map((r) => [r.key, readView(projection, r.key, r.doc)]));
    const replayed = replay(projection, log);
    const kind = `${schema}.${projection.name} differs from its replay`;
    for (const [key, doc] of replayed) {
      const have = stored.get(key);
      if (have === undefined) add(kind, `${key}: missing, replay has ${JSON.stringify(doc)}`);
      else if (!isDeepStrictEqual(have, doc)) {
        add(kind, `${key}: stored ${JSON.stringify(have)}, replay ${JSON.stringify(doc)}`);
      }
    }
    for (const key of stored.keys()) {
      if (!replayed.has(key)) add(kind, `${key}: stored, but not in the replay`);
    }
  }
  return violations;
};

export const merge = (...all: ReadonlyArray<Violations>): Violations => Object.assign({}, ...all);
