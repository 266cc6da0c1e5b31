import { useEffect, useRef } from "preact/hooks";
import { cart, loadCart } from "./api/cart.js";
import type { Me } from "./api/codecs.js";
import { refresh, session, signOut } from "./api/session.js";
import { AccountsScreen } from "./screens/accounts.js";
import { SignIn, SignUp } from "./screens/auth.js";
import { BoardScreen } from "./screens/board.js";
import { CartScreen } from "./screens/cart.js";
import { CatalogScreen } from "./screens/catalog.js";
import { CourierScreen } from "./screens/courier.js";
import { FailedMailScreen } from "./screens/failed-mail.js";
import { MailScreen } from "./screens/mail.js";
import { OperationsScreen } from "./screens/operations.js";
import { NotificationsScreen, OrderScreen, OrdersScreen } from "./screens/orders.js";
import { canSee, STAFF_SCREENS, screensOf } from "./screens/roles.js";
import { ProductScreen, Storefront } from "./screens/storefront.js";
import { StockScreen, WarehouseQueueScreen } from "./screens/warehouse.js";
import { Page } from "./ui/bits.js";
import { useStore } from "./ui/hooks.js";
import { Link, navigate, usePath } from "./ui/router.js";

const Nav = (props: { readonly path: string }) => {
  const s = useStore(session);
  const order = useStore(cart);
  const units = order?.lines.reduce((n, l) => n + l.quantity, 0) ?? 0;
  const link = (href: string, label: string) => (
    <li key={href}>
      <Link href={href} current={props.path === href}>
        {label}
      </Link>
    </li>
  );
  return (
    <nav aria-label="Main">
      <ul>
        {link("/", "Shop")}
        {s.kind === "signed-in"
          ? screensOf(s.me.roles).map((screen) =>
              link(screen.path, screen.path === "/cart" ? `Cart (${units})` : screen.label),
            )
          : null}
      </ul>
      <ul>
        {s.kind === "signed-in" ? (
          <>
            <li class="who">{s.me.name ?? s.me.email}</li>
            <li>
              <button
                type="button"
                class="link"
                onClick={async () => {
                  await signOut();
                  cart.set(undefined);
                  navigate("/");
                }}
              >
                Sign out
              </button>
            </li>
          </>
        ) : s.kind === "anonymous" ? (
          <>
            {link("/signin", "Sign in")}
            {link("/signup", "Sign up")}
          </>
        ) : null}
      </ul>
    </nav>
  );
};

const signedInScreen = (path: string, me: Me) => {
  if (path === "/cart") return <CartScreen me={me} />;
  if (path === "/orders") return <OrdersScreen me={me} />;
  if (path.startsWith("/orders/")) {
    return <OrderScreen me={me} orderId={decodeURIComponent(path.slice("/orders/".length))} />;
  }
  if (path === "/notifications") return <NotificationsScreen me={me} />;
  if (path === "/mail") return <MailScreen me={me} />;
  if (path === "/warehouse") return <WarehouseQueueScreen />;
  if (path === "/stock") return <StockScreen />;
  if (path === "/board") return <BoardScreen />;
  if (path === "/my-deliveries") return <CourierScreen />;
  if (path === "/catalog") return <CatalogScreen />;
  if (path === "/accounts") return <AccountsScreen me={me} />;
  if (path === "/operations") return <OperationsScreen />;
  if (path === "/failed-mail") return <FailedMailScreen />;
  return undefined;
};

/** A screen a role cannot use is not offered; the server would refuse it anyway. */
const allowed = (path: string, me: Me): boolean => {
  const screen = STAFF_SCREENS.find((s) => path === s.path || path.startsWith(`${s.path}/`));
  return screen === undefined || canSee(me.roles, screen);
};

const Routes = (props: { readonly path: string }) => {
  const s = useStore(session);
  const { path } = props;
  if (path === "/") return <Storefront />;
  if (path.startsWith("/product/")) return <ProductScreen sku={path.slice("/product/".length)} />;
  if (path === "/signin") return <SignIn />;
  if (path === "/signup") return <SignUp />;
  if (s.kind === "loading") return <p aria-busy="true">Loading…</p>;
  if (s.kind === "anonymous") {
    return (
      <Page title="Sign in first">
        <p>
          This page is for signed-in people. <Link href="/signin">Sign in</Link>
        </p>
      </Page>
    );
  }
  const screen = allowed(path, s.me) ? signedInScreen(path, s.me) : undefined;
  return (
    screen ?? (
      <Page title="Not here">
        <p>There is no such page for you.</p>
      </Page>
    )
  );
};

export const App = () => {
  const path = usePath();
  const s = useStore(session);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    void refresh();
  }, []);
  // A new page is announced as one: keyboard and screen reader users start at its content.
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [path]);
  const customerId = s.kind === "signed-in" && s.me.roles.includes("customer") ? s.me.id : "";
  useEffect(() => {
    if (customerId !== "") void loadCart(customerId);
  }, [customerId]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <p class="brand">
          <Link href="/">Mebel</Link>
        </p>
        <Nav path={path} />
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        <Routes path={path} />
      </main>
      <footer>
        <p>Mebel furniture · prices include VAT</p>
      </footer>
    </>
  );
};
