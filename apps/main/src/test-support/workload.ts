import { testStaff } from "../test-process.js";
import type { Cluster, Instance } from "./cluster.js";
import { acknowledged, type CommandRecord, type Journal } from "./journal.js";
import { sleep } from "./sleep.js";

export const PLENTIFUL = ["SOFA-OSLO", "TABLE-OAK", "CHAIR-BIRCH", "LAMP-ARC"] as const;
export const SCARCE = ["CLOCK-RARE", "VASE-RARE"] as const;
/** Far more than the workload can ask for: a refusal for lack of these contradicts the log. */
export const PLENTIFUL_STOCK = 2_000;
export const SCARCE_STOCK = 3;

/** Something the workload saw go wrong that no command's answer holds. */
export interface Trouble {
  readonly what: string;
  readonly orderId?: string;
  readonly detail: string;
}

export interface Workload {
  readonly journeys: () => number;
  readonly troubles: ReadonlyArray<Trouble>;
  /** Runs journeys, `concurrency` at a time, while `more()` says so and the caps allow. */
  readonly run: (more: () => boolean) => Promise<void>;
  /** Adds stock of the scarce SKUs, through alternating warehouse instances. */
  readonly restock: () => Promise<void>;
}

/** A deterministic spread of choices per journey, so a failing run can be read again. */
const pick = <T>(items: ReadonlyArray<T>, n: number): T => items[n % items.length] as T;

interface Options {
  readonly concurrency: number;
  readonly maxJourneys: number;
  /** No journey starts after this. */
  readonly deadline: number;
  /** Nothing is waited for after this. */
  readonly giveUpAt: number;
}

/** The set-up every journey needs: products in the catalog and their stock. */
export const seedShop = async (cluster: Cluster, journal: Journal): Promise<void> => {
  const products = [...PLENTIFUL, ...SCARCE];
  const created = await Promise.all(
    products.map((sku, i) =>
      journal.send("product.create", [cluster.catalog], "POST", "/products", {
        sku,
        name: `Product ${sku}`,
        price: 10_000 + i * 1_000,
      }),
    ),
  );
  const received = await Promise.all(
    products.map((sku, i) =>
      journal.send(
        "stock.receive",
        i % 2 === 0 ? cluster.warehouses : [...cluster.warehouses].reverse(),
        "POST",
        `/stock/${sku}/receive`,
        {
          quantity: (SCARCE as ReadonlyArray<string>).includes(sku)
            ? SCARCE_STOCK
            : PLENTIFUL_STOCK,
        },
        { sku },
      ),
    ),
  );
  // Without its shop the workload would only measure refusals: stop here, saying why.
  const failed = [...created, ...received].filter((c) => !acknowledged(c));
  if (failed.length > 0) {
    throw new Error(
      `the shop could not be set up: ${failed.map((c) => `${c.kind} ${c.path} -> ${c.final?.status ?? "no answer"} ${c.final?.code ?? ""}`).join("; ")}`,
    );
  }
};

export const createWorkload = (cluster: Cluster, journal: Journal, options: Options): Workload => {
  const troubles: Trouble[] = [];
  let started = 0;
  const site = [cluster.site];
  /** Staff alternate between the instances: the n-th command goes to one, then the other. */
  const pair = (instances: readonly [Instance, Instance], n: number): ReadonlyArray<Instance> =>
    n % 2 === 0 ? instances : [instances[1], instances[0]];

  const waitForDelivery = async (
    orderId: string,
    n: number,
    done: (body: { status?: string; courierId?: string | null }) => boolean,
    what: string,
  ): Promise<{ status?: string; courierId?: string | null } | undefined> => {
    let last = "nothing";
    for (
      let turn = 0, until = Math.min(Date.now() + 45_000, options.giveUpAt);
      Date.now() < until;
      turn++
    ) {
      const target = pair(cluster.deliveries, n + turn)[0] as Instance;
      try {
        const res = await fetch(`${target.url}/deliveries/${orderId}`, {
          headers: await testStaff(),
          signal: AbortSignal.timeout(5_000),
        });
        const body = (await res.json()) as { status?: string; courierId?: string | null };
        last = `${res.status} ${JSON.stringify(body)} from ${target.name}`;
        if (res.status === 200 && done(body)) return body;
      } catch (error) {
        last = `no answer from ${target.name}: ${String(error)}`;
      }
      await sleep(150);
    }
    troubles.push({ what, orderId, detail: `last answer: ${last}` });
    return undefined;
  };

  const journey = async (n: number): Promise<void> => {
    const customer = `c-${n % 10}`;
    const created = await journal.send(
      "order.create",
      site,
      "POST",
      `/customers/${customer}/orders`,
      {},
    );
    if (!acknowledged(created)) return;
    const orderId = String(created.final?.body?.orderId);
    created.subject = { orderId };
    const orderPath = `/customers/${customer}/orders/${orderId}`;
    const lines: string[] = [];
    for (let k = 0; k < 1 + (n % 3); k++) {
      const sku = (n + k) % 4 === 0 ? pick(SCARCE, n + k) : pick(PLENTIFUL, n * 3 + k);
      const added = await journal.send(
        "order.add-item",
        site,
        "POST",
        `${orderPath}/items`,
        { sku, quantity: 1 + ((n + k) % 2) },
        { orderId, sku },
      );
      if (acknowledged(added)) {
        const lineId = String(added.final?.body?.lineId);
        added.subject = { orderId, sku, lineId };
        lines.push(lineId);
      }
    }
    const step = (
      kind: string,
      targets: ReadonlyArray<Instance>,
      path: string,
      body: unknown = {},
    ) => journal.send(kind, targets, "POST", path, body, { orderId });
    const cancel = (targets: ReadonlyArray<Instance>, path: string) =>
      step("order.cancel", targets, path, { reason: `journey ${n} changed its mind` });

    if (n % 4 === 1 && lines.length >= 2) {
      const lineId = lines.shift() as string;
      await journal.send(
        "order.remove-item",
        site,
        "DELETE",
        `${orderPath}/items/${lineId}`,
        undefined,
        {
          orderId,
          lineId,
        },
      );
    }
    if (lines.length === 0 || n % 8 === 0) {
      await cancel(site, `${orderPath}/cancel`);
      return;
    }
    const ok = (record: CommandRecord) => acknowledged(record);
    if (
      !ok(
        await step("order.place", site, `${orderPath}/place`, {
          deliveryAddress: {
            street: `Nevsky prospekt ${n}`,
            city: "Saint Petersburg",
            postalCode: "191025",
            country: "RU",
            // The line is optional: some go without.
            ...(n % 5 === 0 ? {} : { line: `flat ${n}` }),
          },
        }),
      )
    )
      return;
    if (n % 8 === 3) {
      await cancel(site, `${orderPath}/cancel`);
      return;
    }
    const staff = `/orders/${orderId}`;
    if (
      !ok(
        await step(
          "order.start-processing",
          pair(cluster.warehouses, n),
          `${staff}/start-processing`,
        ),
      )
    )
      return;
    if (
      !ok(
        await step(
          "order.mark-assembled",
          pair(cluster.warehouses, n + 1),
          `${staff}/mark-assembled`,
        ),
      )
    )
      return;
    if (n % 8 === 5) {
      await cancel(pair(cluster.warehouses, n), `${staff}/cancel`);
      return;
    }
    const assigned = await waitForDelivery(
      orderId,
      n,
      (d) => d.status === "assigned" && typeof d.courierId === "string",
      "delivery never assigned",
    );
    if (assigned === undefined) return;
    const handed = await step(
      "order.hand-to-courier",
      pair(cluster.warehouses, n),
      `${staff}/hand-to-courier`,
      {
        courierId: assigned.courierId,
      },
    );
    if (!ok(handed)) return;
    const picked = await waitForDelivery(
      orderId,
      n + 1,
      (d) => d.status === "picked_up" || d.status === "completed",
      "delivery never picked up after the handover",
    );
    if (picked === undefined) return;
    await step("delivery.complete", pair(cluster.deliveries, n), `/deliveries/${orderId}/complete`);
  };

  return {
    journeys: () => started,
    troubles,
    run: async (more) => {
      const worker = async () => {
        while (more() && started < options.maxJourneys && Date.now() < options.deadline) {
          const n = started++;
          await journey(n).catch((error: unknown) =>
            troubles.push({ what: "journey threw", detail: String(error) }),
          );
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
    },
    restock: async () => {
      await Promise.all(
        SCARCE.map((sku, i) =>
          journal.send(
            "stock.receive",
            pair(cluster.warehouses, i),
            "POST",
            `/stock/${sku}/receive`,
            { quantity: 2 },
            { sku },
          ),
        ),
      );
    },
  };
};
