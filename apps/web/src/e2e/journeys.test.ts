import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type MailSink, startMailSink } from "@mebel/adapter-smtp";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WEB_DIST } from "../web-app.js";
import { seriousViolations } from "./axe.js";
import { chromiumPath, launchChromium, noChromiumReason } from "./chromium.js";
import { E2E_PASSWORD, type Stack, startStack } from "./stack.js";

/**
 * The README's screenshots, rewritten only when asked (`MEBEL_UPDATE_SCREENS=1`): a plain test run
 * still takes every one, into a folder of its own, and leaves the tracked images alone.
 */
const UPDATE_SCREENS = process.env.MEBEL_UPDATE_SCREENS === "1";
const TRACKED_SCREENS = fileURLToPath(new URL("../../../../docs/screens/", import.meta.url));
/** Where this run's screenshots go: the tracked folder when asked, else one of its own. */
let screens = TRACKED_SCREENS;
let ownScreens: string | undefined;
/**
 * Every wait is bounded: a step that does not happen fails the test, it never hangs it. The bound
 * is generous because it is not a speed: on 2 shared cores a page that took 20 s to show a field
 * failed runs where nothing was wrong (speeds are measured in bench/, never here).
 */
const STEP_MS = 45_000;
const POLL = { timeout: STEP_MS, interval: 100 };

const title = chromiumPath
  ? `the web app in Chromium (${chromiumPath})`
  : `the web app in Chromium: skipped, ${noChromiumReason}`;

// Said out loud, so that a run without a browser is never mistaken for a run that passed.
if (chromiumPath === undefined) console.warn(`e2e suite skipped: ${noChromiumReason}`);

describe.skipIf(chromiumPath === undefined)(title, () => {
  let stack: Stack;
  let browser: Browser;
  /** The shop's SMTP server: every customer's mail of the run arrives here. */
  let sink: MailSink;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const open = async (width = 1280, height = 860): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height }, locale: "en-GB" });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    // What a person would never see but would suffer: an uncaught error, a blocked resource.
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    return page;
  };

  const signIn = async (page: Page, email: string, password = E2E_PASSWORD) => {
    await page.goto(`${stack.site}/signin`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
  };

  const signUp = async (page: Page, name: string, email: string) => {
    await page.goto(`${stack.site}/signup`);
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel(/^Password/).fill("a-long-password");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
  };

  const fillAddress = async (page: Page, street: string, postalCode: string, city: string) => {
    await page.getByLabel("Street and house").fill(street);
    await page.getByLabel("Postal code").fill(postalCode);
    await page.getByLabel("City").fill(city);
    await page.getByLabel("Country").selectOption("RU");
  };

  /** An access token the way a program gets one, outside the browser. */
  const tokenOf = async (email: string, password = E2E_PASSWORD): Promise<string> => {
    const login = await fetch(`${stack.site}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    return ((await login.json()) as { accessToken: string }).accessToken;
  };

  const expectAccessible = async (page: Page) => {
    expect(await seriousViolations(page)).toEqual([]);
  };

  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: join(screens, `${name}.png`), fullPage: true });

  const status = (page: Page) => page.getByTestId("order-status");

  /**
   * Requests a page makes to one read (the listing, the queue): the screens follow pushed events,
   * so once a screen has read and its stream is live, none should follow but on a command.
   */
  const reads = (page: Page, path: RegExp) => {
    let seen = 0;
    page.on("request", (request) => {
      if (path.test(new URL(request.url()).pathname + new URL(request.url()).search)) seen += 1;
    });
    return {
      count: () => seen,
      /** Once the screen's first read and its stream's read on opening are done, from zero. */
      settled: async (expected = 2) => {
        await expect.poll(() => seen, POLL).toBeGreaterThanOrEqual(expected);
        seen = 0;
      },
    };
  };
  const LISTING = /^\/products\?/;
  const QUEUE = /^\/api\/warehouse\/queue$/;

  /** Tabs through the page, as a keyboard does, until the control named `name` has the focus. */
  const tabTo = async (page: Page, name: string, maxPresses = 60) => {
    for (let i = 0; i < maxPresses; i += 1) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = (globalThis as unknown as { document: { activeElement: unknown } }).document
          .activeElement as {
          textContent?: string | null;
          getAttribute?: (n: string) => string | null;
        };
        return el?.textContent?.trim() ?? "";
      });
      if (focused === name) return;
    }
    throw new Error(`"${name}" not reached in ${maxPresses} presses of Tab`);
  };

  beforeAll(async () => {
    if (!existsSync(`${WEB_DIST}/index.html`)) {
      throw new Error("the web app is not built: npm run build:web (npm test builds it first)");
    }
    if (UPDATE_SCREENS) mkdirSync(TRACKED_SCREENS, { recursive: true });
    else {
      ownScreens = mkdtempSync(join(tmpdir(), "mebel-screens-"));
      screens = ownScreens;
    }
    sink = await startMailSink();
    [stack, browser] = await Promise.all([
      startStack({ MEBEL_SMTP_URL: sink.smtpUrl, MEBEL_MAIL_FROM: "Mebel <shop@mebel.example>" }),
      launchChromium(),
    ]);
  }, 120_000);

  afterEach(() => {
    const seen = pageErrors.splice(0);
    expect(seen).toEqual([]);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await stack?.stop();
    await sink?.close();
    if (ownScreens !== undefined) rmSync(ownScreens, { recursive: true, force: true });
  }, 30_000);

  it("a customer orders, the warehouse and the courier act, and the order page follows live", async () => {
    const [customer, warehouse, dispatcher, courier] = await Promise.all([
      open(),
      open(),
      open(),
      open(),
    ]);
    // Counted from the start: the queue is the warehouse's landing page.
    const queueReads = reads(warehouse, QUEUE);
    await Promise.all([
      signUp(customer, "Vera", "vera@example.com"),
      signIn(warehouse, "warehouse@example.com"),
      signIn(dispatcher, "dispatcher@example.com"),
      signIn(courier, "courier@example.com"),
    ]);

    await customer.getByRole("link", { name: "Shop" }).click();
    await expect
      .poll(() => customer.getByTestId("available-TABLE-OAK-180").textContent(), POLL)
      .toBe("3 available");
    await expectAccessible(customer);
    await shoot(customer, "storefront");
    await customer.getByRole("button", { name: "Add Oak dining table, 180 cm to cart" }).click();
    await customer.getByRole("link", { name: "Cart (1)" }).click();
    await customer.getByLabel("Quantity of Oak dining table, 180 cm").fill("2");
    await customer.getByLabel("Quantity of Oak dining table, 180 cm").press("Tab");
    await customer.getByRole("link", { name: "Cart (2)" }).waitFor();
    await customer.getByLabel("Quantity of Oak dining table, 180 cm").fill("5");
    await customer.getByLabel("Quantity of Oak dining table, 180 cm").press("Tab");
    await customer.getByText("Sorry, only 1 left.").waitFor();
    await fillAddress(customer, "Nevsky prospekt 28", "191186", "St Petersburg");
    await expectAccessible(customer);
    await shoot(customer, "cart");
    // The warehouse has its queue open before the order exists: it arrives pushed, not polled.
    await warehouse.getByRole("link", { name: "Work queue" }).click();
    await queueReads.settled();
    await customer.getByRole("button", { name: "Place order" }).click();
    await customer.waitForURL(/\/orders\/[^/]+$/);
    const orderId = decodeURIComponent(new URL(customer.url()).pathname.split("/").pop() ?? "");
    const short = orderId.slice(0, 8);
    await expect.poll(() => status(customer).textContent(), POLL).toBe("Placed");
    await warehouse.getByTestId(`queue-${orderId}`).waitFor();
    expect(queueReads.count()).toBe(0);
    await expectAccessible(warehouse);
    await shoot(warehouse, "warehouse-queue");
    await warehouse.getByRole("button", { name: `Start processing order ${short}` }).click();
    await expect.poll(() => status(customer).textContent(), POLL).toBe("Being assembled");
    await warehouse.getByRole("button", { name: `Mark order ${short} assembled` }).click();
    // Auto-assignment gives it the one courier at once, in the next working day's first slot.
    await expect.poll(() => status(customer).textContent(), POLL).toBe("Courier assigned");
    const slot = /\d\d:\d\d–\d\d:\d\d/;
    await expect
      .poll(() => customer.getByTestId("delivery-window").textContent(), POLL)
      .toMatch(slot);

    await dispatcher.getByRole("link", { name: "Delivery board" }).click();
    await dispatcher.getByTestId(`assigned-${orderId}`).waitFor();
    expect(
      await dispatcher.getByTestId(`assigned-${orderId}`).getByTestId("window").textContent(),
    ).toMatch(slot);
    await expectAccessible(dispatcher);
    await shoot(dispatcher, "delivery-board");

    await warehouse.getByLabel("Courier").selectOption("anna");
    await warehouse.getByRole("button", { name: `Hand order ${short} to courier` }).click();
    await expect.poll(() => status(customer).textContent(), POLL).toBe("Out for delivery");

    await courier.getByRole("link", { name: "My deliveries" }).click();
    await courier.getByLabel("Order number").fill(orderId);
    await courier.getByRole("button", { name: "Open delivery" }).click();
    await expectAccessible(courier);
    await courier.getByRole("button", { name: `Delivered order ${short}` }).click();
    await expect
      .poll(() => courier.getByTestId("delivery-status").textContent(), POLL)
      .toBe("Delivered");
    await expect.poll(() => status(customer).textContent(), POLL).toBe("Delivered");
    expect(await customer.getByTestId("timeline").locator("li").count()).toBeGreaterThanOrEqual(7);
    await expectAccessible(customer);
    await shoot(customer, "order-timeline");

    await customer.getByRole("link", { name: "Notifications" }).click();
    await customer
      .getByText(/delivered/i)
      .first()
      .waitFor();
  }, 150_000);

  it("two customers want the last sofa: the second sees it go and is refused in words", async () => {
    const [catalog, stock, first, second] = await Promise.all([open(), open(), open(), open()]);
    await Promise.all([
      signIn(catalog, "catalog@example.com"),
      signIn(stock, "warehouse@example.com"),
      signIn(first, "olga@example.com"),
      signIn(second, "ivan@example.com"),
    ]);
    await catalog.getByRole("link", { name: "Catalog" }).click();
    await catalog.getByLabel("SKU (capitals, digits, dashes)").fill("SOFA-LAST-1");
    await catalog.getByLabel("Name").fill("Last velvet sofa");
    await catalog.getByLabel("Price", { exact: true }).fill("1200");
    await catalog.getByRole("button", { name: "Create product" }).click();
    await catalog.getByTestId("product-SOFA-LAST-1").waitFor();
    await expectAccessible(catalog);

    // Both customers look at it before there is any: the stock that arrives is pushed to them.
    const secondReads = reads(second, LISTING);
    for (const page of [first, second]) {
      await page.goto(`${stack.site}/product/SOFA-LAST-1`);
      await expect
        .poll(() => page.getByTestId("available-SOFA-LAST-1").textContent(), POLL)
        .toBe("Sold out");
    }
    await secondReads.settled();
    await stock.getByRole("link", { name: "Stock" }).click();
    await stock.getByLabel("Product").selectOption("SOFA-LAST-1");
    await stock.getByLabel("Units received").fill("1");
    await stock.getByRole("button", { name: "Receive" }).click();
    await expect
      .poll(() => stock.getByTestId("stock-SOFA-LAST-1").locator("td").allTextContents(), POLL)
      .toEqual(["1", "0", "1"]);
    await expectAccessible(stock);
    for (const page of [first, second]) {
      await expect
        .poll(() => page.getByTestId("available-SOFA-LAST-1").textContent(), POLL)
        .toBe("1 available");
    }
    await second.getByLabel("Quantity").fill("2");
    await second.getByRole("button", { name: "Add Last velvet sofa to cart" }).click();
    await second.getByText("Sorry, only 1 left.").waitFor();

    await first.getByRole("button", { name: "Add Last velvet sofa to cart" }).click();
    await first.waitForURL(/\/cart$/);
    // No reload: the second customer's page sees it go.
    await expect
      .poll(() => second.getByTestId("available-SOFA-LAST-1").textContent(), POLL)
      .toBe("Sold out");
    expect(await second.getByRole("button", { name: "Sold out" }).isDisabled()).toBe(true);
    // The stock came and went on the second page with no read of the listing, and a quiet while
    // longer (the old polling read it every 1.5 s) brings none either.
    await second.waitForTimeout(2_000);
    expect(secondReads.count()).toBe(0);
    // The stock screen followed the reservation the same way.
    await expect
      .poll(() => stock.getByTestId("stock-SOFA-LAST-1").locator("td").allTextContents(), POLL)
      .toEqual(["1", "1", "0"]);
  }, 120_000);

  it("a customer cannot open another's order, and signing out ends access", async () => {
    const [owner, other] = await Promise.all([open(), open(390, 844)]);
    await Promise.all([
      signIn(owner, "olga@example.com"),
      signUp(other, "Pyotr", "pyotr@example.com"),
    ]);
    await owner.goto(`${stack.site}/cart`);
    await fillAddress(owner, "Liteyny prospekt 1", "191028", "St Petersburg");
    await owner.getByRole("button", { name: "Place order" }).click();
    await owner.waitForURL(/\/orders\/[^/]+$/);
    const path = new URL(owner.url()).pathname;

    await other.goto(`${stack.site}${path}`);
    await other.getByText("There is no such order.").waitFor();
    expect(await other.getByTestId("order-status").count()).toBe(0);
    await other.goto(`${stack.site}/warehouse`);
    await other.getByText("There is no such page for you.").waitFor();
    expect(await other.getByRole("link", { name: "Work queue" }).count()).toBe(0);
    const refused = await other.evaluate(async () => (await fetch("/api/warehouse/queue")).status);
    expect(refused).toBe(401);
    // The screen is not offered, and the server refuses it anyway, to the customer's own token.
    const accessToken = await tokenOf("pyotr@example.com", "a-long-password");
    const queue = await fetch(`${stack.site}/api/warehouse/queue`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(queue.status).toBe(403);
    await other.goto(`${stack.site}/`);
    await other.getByTestId("available-LAMP-ARC").waitFor();
    await expectAccessible(other);
    await shoot(other, "storefront-phone");
    // Without a mouse: Tab to the lamp's button, Enter, and it is in the cart.
    await tabTo(other, "Add Arc floor lamp to cart");
    await other.keyboard.press("Enter");
    await other.getByRole("link", { name: "Cart (1)" }).waitFor();

    // The owner changes their mind: the answer shows at once, the view's push confirms it.
    await owner.getByRole("button", { name: "Cancel this order" }).click();
    await expect.poll(() => status(owner).textContent(), POLL).toBe("Cancelled");
    await owner
      .getByText(/cancelled/i)
      .nth(1)
      .waitFor();

    await owner.getByRole("button", { name: "Sign out" }).click();
    await owner
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Sign in", exact: true })
      .waitFor();
    await owner.goto(`${stack.site}${path}`);
    await owner.getByRole("heading", { name: "Sign in first" }).waitFor();
    const renewed = await owner.evaluate(
      async () => (await fetch("/auth/refresh", { method: "POST" })).status,
    );
    expect(renewed).toBe(401);
  }, 120_000);

  it("an admin gives a person a role, and they see its screen once they sign in again", async () => {
    const [admin, person] = await Promise.all([open(), open()]);
    await Promise.all([
      signIn(admin, "admin@example.com"),
      signUp(person, "Nina", "nina@example.com"),
    ]);
    expect(await person.getByRole("link", { name: "Catalog" }).count()).toBe(0);

    await admin.getByRole("link", { name: "Accounts" }).click();
    const own = admin.getByTestId("account-admin@example.com");
    // The lock-out is not offered: an admin keeps their own admin role.
    expect(await own.getByLabel("Admin").isDisabled()).toBe(true);
    expect(await own.getByRole("button", { name: /^Disable/ }).count()).toBe(0);
    const nina = admin.getByTestId("account-nina@example.com");
    await nina.getByLabel("Catalog").check();
    await expectAccessible(admin);
    await shoot(admin, "accounts");
    await nina.getByRole("button", { name: "Save roles of nina@example.com" }).click();
    await expect
      .poll(() => nina.getByRole("button", { name: /^Save roles/ }).isDisabled(), POLL)
      .toBe(true);

    await person.getByRole("button", { name: "Sign out" }).click();
    await signIn(person, "nina@example.com", "a-long-password");
    await person.getByRole("link", { name: "Catalog" }).click();
    await person.getByRole("heading", { name: "Catalog" }).waitFor();
  }, 60_000);

  it("the admin's operations page shows every service's subscribers", async () => {
    const admin = await open();
    await signIn(admin, "admin@example.com");
    await admin.getByRole("link", { name: "Operations" }).click();
    for (const service of ["site", "catalog", "warehouse", "delivery"]) {
      await admin.getByRole("heading", { name: new RegExp(`^${service} ok`) }).waitFor();
    }
    await admin.getByRole("rowheader", { name: "warehouse-queue.v3" }).waitFor();
    await expectAccessible(admin);
    await shoot(admin, "operations");
  }, 60_000);

  /** The subjects of the mail `email` has received so far, in order. */
  const mailTo = (email: string) =>
    sink
      .messages()
      .filter((m) => m.to.includes(email))
      .map((m) => m.subject);

  /** A new customer's lamp, ordered and assembled: the courier is assigned by itself. */
  const orderAssembled = async (customer: Page, warehouse: Page, street: string) => {
    await customer.getByRole("link", { name: "Shop" }).click();
    await customer.getByRole("button", { name: "Add Arc floor lamp to cart" }).click();
    await customer.getByRole("link", { name: "Cart (1)" }).click();
    await fillAddress(customer, street, "190000", "St Petersburg");
    await customer.getByRole("button", { name: "Place order" }).click();
    await customer.waitForURL(/\/orders\/[^/]+$/);
    const orderId = decodeURIComponent(new URL(customer.url()).pathname.split("/").pop() ?? "");
    const short = orderId.slice(0, 8);
    await warehouse.getByRole("link", { name: "Work queue" }).click();
    await warehouse.getByRole("button", { name: `Start processing order ${short}` }).click();
    await warehouse.getByRole("button", { name: `Mark order ${short} assembled` }).click();
    await expect.poll(() => status(customer).textContent(), POLL).toBe("Courier assigned");
    return orderId;
  };

  it("a customer turns off one kind of e-mail: that kind never comes, the others still do", async () => {
    const [customer, warehouse] = await Promise.all([open(), open()]);
    await Promise.all([
      signUp(customer, "Zoya", "zoya@example.com"),
      signIn(warehouse, "warehouse@example.com"),
    ]);
    await customer.getByRole("link", { name: "E-mail" }).click();
    const assembled = customer.getByRole("checkbox", { name: "Order assembled" });
    await assembled.waitFor();
    expect(await assembled.isChecked()).toBe(true);
    await customer.getByLabel("Language").selectOption("en");
    await expect.poll(() => customer.getByLabel("Language").inputValue(), POLL).toBe("en");
    await assembled.click();
    // The screen shows the site's answer: off once it is recorded, and still off on a reload.
    await expect.poll(() => assembled.isChecked(), POLL).toBe(false);
    await customer.reload();
    await customer.getByRole("checkbox", { name: "Courier assigned" }).waitFor();
    expect(await customer.getByRole("checkbox", { name: "Order assembled" }).isChecked()).toBe(
      false,
    );
    await expectAccessible(customer);
    await shoot(customer, "mail-preferences");

    const orderId = await orderAssembled(customer, warehouse, "Millionnaya 3");
    // Mail goes in the order of the events: once the courier's has come, the assembled one was
    // decided before it, and left out.
    await expect
      .poll(() => mailTo("zoya@example.com"), POLL)
      .toContain(`Courier assigned: order ${orderId}`);
    expect(mailTo("zoya@example.com")).toEqual([
      `Order ${orderId} placed`,
      `Courier assigned: order ${orderId}`,
    ]);
    await Promise.all([customer, warehouse].map((p) => p.context().close()));
  }, 120_000);

  it("mail the server refused for good is listed for the admin, and Resend delivers it once", async () => {
    sink.answer((to) =>
      to === "yuri@example.com" ? { code: 550, message: "No such mailbox here" } : "accept",
    );
    const [customer, warehouse, admin] = await Promise.all([open(), open(), open()]);
    await Promise.all([
      signUp(customer, "Yuri", "yuri@example.com"),
      signIn(warehouse, "warehouse@example.com"),
      signIn(admin, "admin@example.com"),
    ]);
    const orderId = await orderAssembled(customer, warehouse, "Kazanskaya 7");
    await admin.getByRole("link", { name: "Failed mail" }).click();
    const card = admin.getByTestId(`failed-mail-${orderId}-placed`);
    // Listed as it is read: refused mail may still be on its way to failing when the page opens.
    await expect
      .poll(async () => {
        if ((await card.count()) === 0) await admin.reload();
        return card.count();
      }, POLL)
      .toBe(1);
    expect(await card.getByTestId("failure-reason").textContent()).toMatch(
      /^550 .*No such mailbox/,
    );
    expect(mailTo("yuri@example.com")).toEqual([]);
    // Each of Yuri's three messages is refused: all failed before one is sent again.
    const token = await tokenOf("admin@example.com");
    const failedOf = async () => {
      const health = (await (await fetch(`${stack.site}/health`)).json()) as {
        outbox: { failed: number; recentFailures: Array<{ orderId: string; kind: string }> };
      };
      const metrics = await (
        await fetch(`${stack.site}/metrics`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
      return {
        health: health.outbox.failed,
        metrics: Number(/^mebel_outbox_messages\{state="failed"\} (\d+)$/m.exec(metrics)?.[1]),
        yuri: health.outbox.recentFailures
          .filter((f) => f.orderId === orderId)
          .map((f) => f.kind)
          .sort(),
      };
    };
    await expect
      .poll(async () => (await failedOf()).yuri, POLL)
      .toEqual(["assembled", "courier_assigned", "placed"]);
    const before = await failedOf();
    expect(before.metrics).toBe(before.health);
    await card.getByLabel(/^Why send it again/).fill("Yuri's mailbox is set up now");
    await expectAccessible(admin);
    await shoot(admin, "failed-mail");

    sink.answer(() => "accept");
    await card.getByRole("button", { name: /^Resend placed mail of order/ }).click();
    await expect.poll(() => card.count(), POLL).toBe(0);
    await expect.poll(() => mailTo("yuri@example.com"), POLL).toContain(`Заказ ${orderId} принят`);
    const resent = sink.messages().find((m) => m.subject === `Заказ ${orderId} принят`);
    expect(resent?.copies).toBe(1);
    // It has left "failed" on /health and /metrics alike; the other two are still there.
    const after = await failedOf();
    expect(after).toEqual({
      health: before.health - 1,
      metrics: before.health - 1,
      yuri: ["assembled", "courier_assigned"],
    });
    await Promise.all([customer, warehouse, admin].map((p) => p.context().close()));
  }, 120_000);

  describe("the courier's journey", () => {
    /** A new customer, and the dispatcher, the warehouse and the courier (on a phone) at work. */
    const deliveryCast = async (name: string, email: string) => {
      const [customer, dispatcher, warehouse, courier] = await Promise.all([
        open(),
        open(),
        open(),
        open(390, 844),
      ]);
      await Promise.all([
        signUp(customer, name, email),
        signIn(dispatcher, "dispatcher@example.com"),
        signIn(warehouse, "warehouse@example.com"),
        signIn(courier, "courier@example.com"),
      ]);
      return { customer, dispatcher, warehouse, courier };
    };

    it("the dispatcher re-assigns, the courier picks up and delivers, the order page follows live", async () => {
      const { customer, dispatcher, warehouse, courier } = await deliveryCast(
        "Lena",
        "lena@example.com",
      );
      const orderId = await orderAssembled(customer, warehouse, "Sadovaya 5");
      const short = orderId.slice(0, 8);
      const steps = () => customer.getByTestId("timeline").locator("li").count();

      // The dispatcher gives it to Boris: Anna's list no longer has it.
      await dispatcher.getByRole("link", { name: "Delivery board" }).click();
      await dispatcher.getByTestId(`assigned-${orderId}`).waitFor();
      await courier.getByRole("link", { name: "My deliveries" }).click();
      await courier.getByTestId(`delivery-${orderId}`).waitFor();
      const before = await steps();
      await dispatcher.getByLabel(`Re-assign order ${short} to`).selectOption("boris");
      await dispatcher.getByRole("button", { name: `Re-assign order ${short}` }).click();
      await expect.poll(() => courier.getByTestId(`delivery-${orderId}`).count(), POLL).toBe(0);
      // The customer's page has the new step without a reload.
      await expect.poll(steps, POLL).toBeGreaterThan(before);
      await expectAccessible(dispatcher);

      // And back to Anna: it is in her deliveries again.
      await dispatcher.getByLabel(`Re-assign order ${short} to`).selectOption("anna");
      await dispatcher.getByRole("button", { name: `Re-assign order ${short}` }).click();
      const card = courier.getByTestId(`delivery-${orderId}`);
      await card.waitFor();
      await expect
        .poll(() => card.getByTestId("delivery-window").textContent(), POLL)
        .toMatch(/\d\d:\d\d–\d\d:\d\d/);
      await expectAccessible(courier);
      await shoot(courier, "my-deliveries-phone");

      await courier.getByRole("button", { name: `Picked up order ${short}` }).click();
      await expect
        .poll(() => card.getByTestId("delivery-status").textContent(), POLL)
        .toBe("Picked up");
      await expect.poll(() => status(customer).textContent(), POLL).toBe("Out for delivery");
      await courier.getByRole("button", { name: `Delivered order ${short}` }).click();
      await expect
        .poll(() => card.getByTestId("delivery-status").textContent(), POLL)
        .toBe("Delivered");
      await expect.poll(() => status(customer).textContent(), POLL).toBe("Delivered");
      // Four pages that poll are a load on a small machine: the next journey starts without them.
      await Promise.all([customer, dispatcher, warehouse, courier].map((p) => p.context().close()));
    }, 150_000);

    it("a courier says why a delivery failed, and the dispatcher asks for it again", async () => {
      const { customer, dispatcher, warehouse, courier } = await deliveryCast(
        "Mark",
        "mark@example.com",
      );
      const orderId = await orderAssembled(customer, warehouse, "Gorokhovaya 2");
      const short = orderId.slice(0, 8);

      await courier.getByRole("link", { name: "My deliveries" }).click();
      await courier.getByRole("button", { name: `Picked up order ${short}` }).click();
      await courier.getByLabel(`Why it failed order ${short}`).fill("Nobody home");
      await courier.getByRole("button", { name: `Failed order ${short}` }).click();
      await expect.poll(() => status(customer).textContent(), POLL).toBe("Delivery failed");

      await dispatcher.getByRole("link", { name: "Delivery board" }).click();
      await dispatcher.getByTestId(`failed-${orderId}`).getByText("Nobody home").waitFor();
      await dispatcher
        .getByRole("button", { name: `Request again the delivery of order ${short}` })
        .click();
      // Tried again: auto-assignment gives it a courier, and the customer sees it move back.
      await expect.poll(() => status(customer).textContent(), POLL).toBe("Courier assigned");
      await dispatcher.getByTestId(`assigned-${orderId}`).waitFor();
      await expectAccessible(dispatcher);
      await Promise.all([customer, dispatcher, warehouse, courier].map((p) => p.context().close()));
    }, 150_000);
  });
});
