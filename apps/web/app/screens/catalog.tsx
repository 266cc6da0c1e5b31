import { useState } from "preact/hooks";
import type { CatalogProduct } from "../api/codecs.js";
import { catalogApi } from "../api/endpoints.js";
import { Alert, Page, Show } from "../ui/bits.js";
import { formatMoney, parseMoney } from "../ui/format.js";
import { useCommand, useLoad } from "../ui/hooks.js";

/** A price as typed, in minor units; a typing mistake is said on the form, never sent. */
const typedPrice = (typed: string, say: (message: string) => void): number | undefined => {
  const minor = parseMoney(typed);
  if (!Number.isNaN(minor)) return minor;
  say("Type a price such as 899 or 899.50.");
  return undefined;
};

const PriceForm = (props: {
  readonly product: CatalogProduct;
  readonly onAnswer: (p: CatalogProduct) => void;
}) => {
  const [price, setPrice] = useState("");
  const { busy, error, run, setError } = useCommand();
  const id = `price-${props.product.sku}`;
  return (
    <form
      class="inline"
      onSubmit={async (e) => {
        e.preventDefault();
        const minor = typedPrice(price, setError);
        if (minor === undefined) return;
        const p = await run(() => catalogApi.changePrice(props.product.sku, minor));
        if (p !== undefined) {
          props.onAnswer(p);
          setPrice("");
        }
      }}
    >
      <label for={id}>New price of {props.product.name}</label>
      <input
        id={id}
        inputMode="decimal"
        required
        value={price}
        onInput={(e) => setPrice(e.currentTarget.value)}
      />
      <button type="submit" disabled={busy}>
        Change price
      </button>
      <Alert message={error} />
    </form>
  );
};

export const CatalogScreen = () => {
  const [products, , update] = useLoad(() => catalogApi.products(), []);
  const [sku, setSku] = useState("");
  const [name, setName] = useState("");
  const [price, setPrice] = useState("");
  const { busy, error, run, setError } = useCommand();
  const answered = (p: CatalogProduct) =>
    update((before) => [...(before ?? []).filter((x) => x.sku !== p.sku), p]);
  return (
    <Page title="Catalog">
      <form
        class="stack narrow"
        aria-label="New product"
        onSubmit={async (e) => {
          e.preventDefault();
          const minor = typedPrice(price, setError);
          if (minor === undefined) return;
          const p = await run(() =>
            catalogApi.create(sku.trim().toUpperCase(), name.trim(), minor),
          );
          if (p !== undefined) {
            answered(p);
            setSku("");
            setName("");
            setPrice("");
          }
        }}
      >
        <h2>New product</h2>
        <p class="field">
          <label for="new-sku">SKU (capitals, digits, dashes)</label>
          <input id="new-sku" required value={sku} onInput={(e) => setSku(e.currentTarget.value)} />
        </p>
        <p class="field">
          <label for="new-name">Name</label>
          <input
            id="new-name"
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </p>
        <p class="field">
          <label for="new-price">Price</label>
          <input
            id="new-price"
            inputMode="decimal"
            required
            value={price}
            onInput={(e) => setPrice(e.currentTarget.value)}
          />
        </p>
        <Alert message={error} />
        <button type="submit" disabled={busy}>
          Create product
        </button>
      </form>
      <h2>Products</h2>
      <Show state={products}>
        {(all) => (
          <ul class="cards">
            {[...all]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((p) => (
                <li key={p.sku} class="card" data-testid={`product-${p.sku}`}>
                  <h3>{p.name}</h3>
                  <p>
                    <code>{p.sku}</code> <span class="price">{formatMoney(p.price)}</span>
                  </p>
                  <PriceForm product={p} onAnswer={answered} />
                </li>
              ))}
          </ul>
        )}
      </Show>
    </Page>
  );
};
