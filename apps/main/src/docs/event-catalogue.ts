import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type JsonSchema, schemaOf } from "@mebel/adapter-http";
import {
  type AnyProcessManager,
  type AnyProjection,
  Category,
  type Courier,
  categoryOf,
  type DomainRecordedEvent,
  deliveryEvents,
  type EventRegistry,
  MAIL_SENDER,
  mailPreferenceEvents,
  orderEvents,
  stockItemEvents,
  type TypedEvent,
} from "@mebel/core";
import { deliverySubscribers } from "@mebel/delivery";
import { siteSubscribers } from "@mebel/site";
import { warehouseSubscribers } from "@mebel/warehouse";
import * as E from "fp-ts/lib/Either.js";
import { type Consumer, meaningful } from "./consumer.js";
import { mailSenderConsumer } from "./mail-sender-consumer.js";

export type { Consumer } from "./consumer.js";

/** Where the frozen fixtures of every event version are (core/src/domain/fixtures). */
const FIXTURES = join(import.meta.dirname, "../../../../core/src/domain/fixtures");

interface Aggregate {
  readonly category: Category;
  readonly id: string;
  readonly service: string;
  readonly decider: string;
  /** What the catalogue reads of the aggregate's registry. */
  readonly registry: Pick<EventRegistry<TypedEvent>, "types" | "versionOf" | "codecs" | "decode">;
}

const AGGREGATES: ReadonlyArray<Aggregate> = [
  {
    category: Category.StockItem,
    id: "sku",
    service: "warehouse",
    decider: "core/src/domain/stock-item/stock-item.ts",
    registry: stockItemEvents,
  },
  {
    category: Category.Order,
    id: "orderId",
    service: "warehouse",
    decider: "core/src/domain/order/order.ts",
    registry: orderEvents,
  },
  {
    category: Category.Delivery,
    id: "orderId",
    service: "delivery",
    decider: "core/src/domain/delivery/delivery.ts",
    registry: deliveryEvents,
  },
  {
    category: Category.MailPreferences,
    id: "customerId",
    service: "site",
    decider: "core/src/domain/mail-preferences/mail-preferences.ts",
    registry: mailPreferenceEvents,
  },
];

const projectionConsumer = (p: AnyProjection, services: ReadonlyArray<string>): Consumer => ({
  kind: "projection",
  name: p.name,
  services,
  start: () => {
    const docs = new Map<string, unknown>();
    return (recorded) => {
      // Its runner reads only these categories from the store.
      if (!p.categories.includes(categoryOf(recorded.streamName) as Category)) return false;
      let changed = false;
      for (const key of p.keysOf(recorded)) {
        const before = docs.get(key);
        const after = p.apply(before as never, recorded, key);
        docs.set(key, after);
        changed ||= meaningful(before) !== meaningful(after);
      }
      return changed;
    };
  },
});

const processConsumer = (m: AnyProcessManager, services: ReadonlyArray<string>): Consumer => ({
  kind: "process manager",
  name: m.name,
  services,
  start: () => {
    let state: unknown = m.initialState;
    return (recorded) => {
      if (!m.categories.includes(categoryOf(recorded.streamName) as Category)) return false;
      const reaction = m.react(state, recorded);
      const changed =
        reaction.commands.length > 0 || meaningful(state) !== meaningful(reaction.state);
      state = reaction.state;
      return changed;
    };
  },
});

/** Every subscriber of every service, once each, with the services that run it. */
export const consumers = (): ReadonlyArray<Consumer> => {
  const courier = { id: "anna", name: "Anna", capacity: 3 } as unknown as Courier;
  const delivery = deliverySubscribers([courier]);
  const wiring: ReadonlyArray<{
    readonly service: string;
    readonly projections: ReadonlyArray<AnyProjection>;
    readonly processes: ReadonlyArray<AnyProcessManager>;
    /** Customers' e-mail, which services.ts starts beside the site, as the site owns their accounts. */
    readonly mail?: true;
  }> = [
    { service: "site", ...siteSubscribers, mail: true },
    { service: "warehouse", ...warehouseSubscribers },
    { service: "delivery", projections: delivery.projections, processes: delivery.processManagers },
  ];
  const runs = new Map<
    string,
    { make: (services: ReadonlyArray<string>) => Consumer; services: string[] }
  >();
  const add = (
    name: string,
    service: string,
    make: (services: ReadonlyArray<string>) => Consumer,
  ) => {
    const entry = runs.get(name) ?? { make, services: [] };
    runs.set(name, { ...entry, services: [...entry.services, service] });
  };
  for (const { service, projections, processes, mail } of wiring) {
    for (const p of projections) add(p.name, service, (s) => projectionConsumer(p, s));
    for (const m of processes) add(m.name, service, (s) => processConsumer(m, s));
    if (mail) add(MAIL_SENDER, service, mailSenderConsumer);
  }
  return [...runs.values()].map((r) => r.make(r.services));
};

interface Fixture {
  readonly type: string;
  readonly version: number;
  readonly data: Record<string, unknown>;
}

const fixtureOf = (type: string, version: number): Fixture =>
  JSON.parse(readFileSync(join(FIXTURES, `${type}.v${version}.json`), "utf8")) as Fixture;

/**
 * One order's life, told by the frozen fixtures (which share their order, SKUs and lines): each
 * event type is shown to the subscribers after every beginning of it, so that one that only
 * reacts to an order placed, a delivery requested or a line added is seen to. A type not listed
 * here still comes at the end.
 */
const STORY = [
  "StockReceived",
  "OrderCreated",
  "StockReserved",
  "OrderItemAdded",
  "OrderPlaced",
  "OrderProcessingStarted",
  "OrderAssembled",
  "DeliveryRequested",
  "CourierAssigned",
  "OrderHandedToCourier",
  "StockDispatched",
  "DeliveryPickedUp",
  "DeliveryFailed",
  "DeliveryRescheduled",
  "DeliveryCompleted",
  "OrderItemRemoved",
  "StockReservationReleased",
  "OrderLineAbandoned",
  "DeliveryCancelled",
  "OrderCancelled",
];

/**
 * Every telling starts with the stock and the order there: an event that merely comes first to a
 * read model (and so makes its document) is not one it consumes.
 */
const OPENING = STORY.indexOf("OrderCreated") + 1;

interface Told {
  readonly type: string;
  readonly aggregate: Aggregate;
  readonly streamName: string;
  readonly event: TypedEvent;
}

const toldAs = (aggregate: Aggregate, event: TypedEvent): Told => ({
  type: event.type,
  aggregate,
  streamName: `${aggregate.category}-${String((event.data as Record<string, unknown>)[aggregate.id])}`,
  event,
});

const told = (aggregate: Aggregate, type: string): Told => {
  const fixture = fixtureOf(type, aggregate.registry.versionOf(type));
  const decoded = aggregate.registry.decode(type, fixture.data, fixture.version);
  if (E.isLeft(decoded)) throw new Error(`the fixture of ${type} does not decode`);
  return toldAs(aggregate, decoded.right);
};

/** The ids by which one event finds what an earlier one made: its order, line, SKU, people. */
const IDS = ["orderId", "lineId", "sku", "courierId", "customerId"] as const;

/**
 * An earlier event of the story retold with the ids of the event under test, where it carries
 * them: the frozen fixtures need not agree (the line added is not the line removed), and a
 * consumer that finds nothing to act on would seem not to consume the event.
 */
const alignedTo = (subject: Told, earlier: Told): Told => {
  const ids = subject.event.data as Record<string, unknown>;
  const data = { ...(earlier.event.data as Record<string, unknown>) };
  for (const id of IDS) if (id in data && id in ids) data[id] = ids[id];
  return toldAs(earlier.aggregate, { ...earlier.event, data } as TypedEvent);
};

/** Feeds events to a fresh run of a consumer; whether it did something with the last one. */
const reactsToLast = (consumer: Consumer, events: ReadonlyArray<Told>): boolean => {
  const handle = consumer.start();
  const revisions = new Map<string, number>();
  let reacted = false;
  events.forEach((e, i) => {
    const revision = (revisions.get(e.streamName) ?? -1) + 1;
    revisions.set(e.streamName, revision);
    const recorded = {
      streamName: e.streamName,
      revision,
      position: BigInt(i + 1),
      eventId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
      event: e.event,
      metadata: {
        correlationId: "catalogue",
        causationId: "catalogue",
        occurredAt: `2026-01-01T00:00:${String(i).padStart(2, "0")}.000Z`,
      },
    } as unknown as DomainRecordedEvent;
    reacted = handle(recorded);
  });
  return reacted;
};

/**
 * Who consumes each event type, found by running the subscribers the services wire on the frozen
 * fixtures of each type's newest version, told as they are and with the ids of the event under
 * test: what a consumer does something with, it consumes.
 */
export const consumersByType = (): ReadonlyMap<string, ReadonlyArray<Consumer>> => {
  const all = consumers();
  const events = AGGREGATES.flatMap((a) => [...a.registry.types].map((type) => told(a, type)));
  const rank = (type: string) => {
    const i = STORY.indexOf(type);
    return i === -1 ? STORY.length : i;
  };
  const story = [...events].sort((a, b) => rank(a.type) - rank(b.type));
  const before = (e: Told, k: number) => story.slice(0, k).filter((s) => s !== e);
  const tellings = (e: Told, k: number): ReadonlyArray<ReadonlyArray<Told>> => [
    [...before(e, k), e],
    [...before(e, k).map((s) => alignedTo(e, s)), e],
  ];
  return new Map(
    events.map((e) => [
      e.type,
      all.filter((c) =>
        story.some(
          (_, k) => k >= OPENING && tellings(e, k).some((events) => reactsToLast(c, events)),
        ),
      ),
    ]),
  );
};

/** A schema as a type in a table cell: the codec's name where it has one. */
export const typeText = (schema: JsonSchema): string => {
  if (typeof schema.title === "string") return schema.title;
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (Array.isArray(schema.anyOf))
    return (schema.anyOf as JsonSchema[]).map(typeText).join(" \\| ");
  if (schema.type === "array") return `${typeText(schema.items as JsonSchema)}[]`;
  if (schema.type === "object" && schema.properties !== undefined) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const fields = Object.entries(schema.properties as Record<string, JsonSchema>).map(
      ([k, v]) => `${k}${required.has(k) ? "" : "?"}: ${typeText(v)}`,
    );
    return `{${fields.join(", ")}}`;
  }
  if (schema.type === "object" && schema.additionalProperties !== undefined) {
    return `{[key]: ${typeText(schema.additionalProperties as JsonSchema)}}`;
  }
  return typeof schema.type === "string" ? schema.type : "any";
};

const fieldsOf = (schema: JsonSchema): string => {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})
    .map(([k, v]) => `\`${k}\`${required.has(k) ? "" : "?"}: ${typeText(v)}`)
    .join("<br>");
};

const consumedBy = (category: Category, list: ReadonlyArray<Consumer>): string =>
  list.length === 0
    ? "nobody yet"
    : list
        .map((c) => {
          const how = c.reads?.includes(category) ? ", reading the stream as it decides" : "";
          return `${c.name} (${c.kind}${how}; ${c.services.join(", ")})`;
        })
        .join("<br>");

export const EVENTS_DOC_START =
  "<!-- event catalogue: generated from the event codecs and the wiring (npm run docs) -->";
export const EVENTS_DOC_END = "<!-- end of event catalogue -->";

/** The generated part of docs/events.md: one table per stream category. */
export const eventCatalogue = (): string => {
  const byType = consumersByType();
  const sections = AGGREGATES.map((aggregate) => {
    const rows = [...aggregate.registry.types].map((type) => {
      const versions = aggregate.registry.codecs(type);
      const newest = versions[versions.length - 1] as (typeof versions)[number];
      const older = versions
        .slice(0, -1)
        .map(
          (v) =>
            `v${v.version}: ${fieldsOf(schemaOf(v.codec))}; read as v${v.version + 1} by its upcaster`,
        )
        .join("<br>");
      return `| \`${type}\` | v${newest.version}${older === "" ? "" : `<br>${older}`} | ${fieldsOf(schemaOf(newest.codec))} | ${consumedBy(aggregate.category, byType.get(type) ?? [])} |`;
    });
    return [
      `### \`${aggregate.category}-<${aggregate.id}>\``,
      "",
      `Emitted by the ${aggregate.category} decider (\`${aggregate.decider}\`), run by the ${aggregate.service} service's command handler.`,
      "",
      "| event | version | fields | consumed by (subscriber; services running it) |",
      "| --- | --- | --- | --- |",
      ...rows,
    ].join("\n");
  });
  return [EVENTS_DOC_START, ...sections, EVENTS_DOC_END].join("\n\n");
};

/** docs/events.md with its generated part made anew; the hand-written text around it is kept. */
export const withEventCatalogue = (doc: string): string => {
  const start = doc.indexOf(EVENTS_DOC_START);
  const end = doc.indexOf(EVENTS_DOC_END);
  if (start === -1 || end < start) throw new Error("docs/events.md has no event catalogue markers");
  return doc.slice(0, start) + eventCatalogue() + doc.slice(end + EVENTS_DOC_END.length);
};
