import { useEffect, useState } from "preact/hooks";
import { addToCart } from "../api/cart.js";
import type { ListedProduct } from "../api/codecs.js";
import { shop } from "../api/endpoints.js";
import { followAvailability } from "../api/live.js";
import { session } from "../api/session.js";
import { Alert, Page, Show } from "../ui/bits.js";
import { formatMoney } from "../ui/format.js";
import { useCommand, useLoad, useStore } from "../ui/hooks.js";
import { Link, navigate } from "../ui/router.js";

/**
 * The listing, with each SKU's availability as the site pushes it (`/products/events`): another
 * buyer's reservation or received stock shows without a reload, and nothing is polled. The whole
 * listing is read again only when the stream (re)opens.
 */
const useLiveProducts = (deps: ReadonlyArray<unknown>) => {
  const [products, reload, update] = useLoad(() => shop.products(), deps);
  useEffect(
    () =>
      followAvailability({
        ready: () => void reload(),
        availability: ({ sku, available }) =>
          update((before) =>
            before === undefined
              ? undefined
              : {
                  ...before,
                  products: before.products.map((p) =>
                    p.sku === sku ? { ...p, available, availableLive: available } : p,
                  ),
                },
          ),
      }),
    [],
  );
  return [products, reload] as const;
};

const availableOf = (p: ListedProduct): number | null => p.availableLive ?? p.available;

const Availability = (props: { readonly product: ListedProduct }) => {
  const n = availableOf(props.product);
  return (
    <span class={n === 0 ? "stock out" : "stock"} data-testid={`available-${props.product.sku}`}>
      {n === null ? "Availability unknown" : n === 0 ? "Sold out" : `${n} available`}
    </span>
  );
};

const AddToCart = (props: { readonly product: ListedProduct; readonly onAdded?: () => void }) => {
  const s = useStore(session);
  const [quantity, setQuantity] = useState("1");
  const { busy, error, run } = useCommand();
  const id = `qty-${props.product.sku}`;
  if (s.kind !== "signed-in" || !s.me.roles.includes("customer")) {
    return (
      <p>
        <Link href="/signin">Sign in to buy</Link>
      </p>
    );
  }
  const soldOut = availableOf(props.product) === 0;
  return (
    <form
      class="buy"
      onSubmit={async (e) => {
        e.preventDefault();
        const done = await run(() => addToCart(s.me.id, props.product.sku, Number(quantity)));
        if (done !== undefined) props.onAdded?.();
      }}
    >
      <label for={id}>Quantity</label>
      <input
        id={id}
        type="number"
        min={1}
        max={99}
        required
        value={quantity}
        onInput={(e) => setQuantity(e.currentTarget.value)}
      />
      <button type="submit" disabled={busy || soldOut}>
        {soldOut ? (
          "Sold out"
        ) : (
          <>
            Add<span class="visually-hidden"> {props.product.name}</span> to cart
          </>
        )}
      </button>
      <Alert message={error} />
    </form>
  );
};

export const Storefront = () => {
  const [products, reload] = useLiveProducts([]);
  return (
    <Page title="Furniture">
      <Show state={products}>
        {(page) => (
          <ul class="products" aria-live="polite">
            {page.products.map((p) => (
              <li key={p.sku} class="card">
                <h2>
                  <Link href={`/product/${p.sku}`}>{p.name}</Link>
                </h2>
                <p class="price">{formatMoney(p.price)}</p>
                <Availability product={p} />
                <AddToCart product={p} onAdded={() => void reload()} />
              </li>
            ))}
          </ul>
        )}
      </Show>
    </Page>
  );
};

export const ProductScreen = (props: { readonly sku: string }) => {
  const [products, reload] = useLiveProducts([props.sku]);
  return (
    <Show state={products}>
      {(page) => {
        const p = page.products.find((x) => x.sku === props.sku);
        if (p === undefined) return <Page title="Not found">There is no such product.</Page>;
        return (
          <Page title={p.name}>
            <p class="price">{formatMoney(p.price)}</p>
            <p>
              SKU <code>{p.sku}</code>
            </p>
            <p aria-live="polite">
              <Availability product={p} />
            </p>
            <AddToCart
              product={p}
              onAdded={() => {
                void reload();
                navigate("/cart");
              }}
            />
          </Page>
        );
      }}
    </Show>
  );
};
