import { useEffect, useState } from "preact/hooks";
import { cart, cartRows, loadCart, setQuantity } from "../api/cart.js";
import type { Me } from "../api/codecs.js";
import { type AddressForm, shop } from "../api/endpoints.js";
import { Alert, Page } from "../ui/bits.js";
import { formatMoney } from "../ui/format.js";
import { useCommand, useLoad, useStore } from "../ui/hooks.js";
import { Link, navigate } from "../ui/router.js";

const PLACED_WAIT = { tries: 3 };

/** Where the shop delivers; the first is the shop's own country. */
const COUNTRIES: ReadonlyArray<readonly [string, string]> = [
  ["RU", "Russia"],
  ["FI", "Finland"],
  ["EE", "Estonia"],
  ["LV", "Latvia"],
  ["LT", "Lithuania"],
  ["DE", "Germany"],
];

const EMPTY_ADDRESS: AddressForm = { street: "", postalCode: "", city: "", country: "RU" };

const AddressField = (props: {
  readonly id: string;
  readonly label: string;
  readonly autocomplete: string;
  readonly value: string;
  readonly onInput: (v: string) => void;
  readonly required?: boolean;
}) => (
  <p class="field">
    <label for={props.id}>{props.label}</label>
    <input
      id={props.id}
      autocomplete={props.autocomplete}
      required={props.required ?? true}
      value={props.value}
      onInput={(e) => props.onInput(e.currentTarget.value)}
    />
  </p>
);

/**
 * Read-your-writes: the order page opens once the site's view has the order as placed. The site
 * waits for its view to reach the placement's position; a view still behind after its bound
 * (503) is asked again a few times before the page opens anyway.
 */
const waitUntilPlaced = async (
  customerId: string,
  orderId: string,
  position: string | null | undefined,
): Promise<void> => {
  for (let i = 0; i < PLACED_WAIT.tries; i += 1) {
    const view = await shop.order(customerId, orderId, position ?? undefined);
    if (view.ok && view.value.status !== "draft") return;
    if (view.ok || view.problem.status !== 503) return;
  }
};

export const CartScreen = (props: { readonly me: Me }) => {
  const order = useStore(cart);
  const [products] = useLoad(() => shop.products(), []);
  const [address, setAddress] = useState<AddressForm>(EMPTY_ADDRESS);
  const field = (key: keyof AddressForm) => (value: string) =>
    setAddress((before) => ({ ...before, [key]: value }));
  const line = useCommand();
  const checkout = useCommand();
  useEffect(() => {
    void loadCart(props.me.id);
  }, [props.me.id]);
  const names = new Map(
    products.kind === "loaded" ? products.value.products.map((p) => [p.sku, p.name]) : [],
  );
  const rows = order === undefined ? [] : cartRows(order);
  if (order === undefined || rows.length === 0) {
    return (
      <Page title="Your cart">
        <p>
          Your cart is empty. <Link href="/">Browse the furniture</Link>.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Your cart">
      <table class="cart">
        <caption class="visually-hidden">Products in your cart</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Price</th>
            <th scope="col">Quantity</th>
            <th scope="col">
              <span class="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const name = names.get(r.sku) ?? r.sku;
            return (
              <tr key={r.sku}>
                <th scope="row">{name}</th>
                <td>{formatMoney(r.unitPrice)}</td>
                <td>
                  <label class="visually-hidden" for={`cart-qty-${r.sku}`}>
                    Quantity of {name}
                  </label>
                  <input
                    id={`cart-qty-${r.sku}`}
                    type="number"
                    min={1}
                    max={99}
                    value={r.quantity}
                    disabled={line.busy}
                    onChange={(e) => {
                      const n = Number(e.currentTarget.value);
                      if (Number.isInteger(n) && n > 0 && n !== r.quantity) {
                        void line.run(() => setQuantity(props.me.id, r.sku, n));
                      }
                    }}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    disabled={line.busy}
                    onClick={() => void line.run(() => setQuantity(props.me.id, r.sku, 0))}
                  >
                    Remove {name}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Alert message={line.error} />
      <p class="total">
        Total <strong data-testid="cart-total">{formatMoney(order.total)}</strong>
      </p>
      <form
        class="stack narrow"
        aria-label="Checkout"
        onSubmit={async (e) => {
          e.preventDefault();
          const { line, ...fields } = address;
          const trimmed = line?.trim() ?? "";
          let position: string | null | undefined;
          const placed = await checkout.run(async () => {
            const answer = await shop.place(
              props.me.id,
              order.orderId,
              trimmed === "" ? fields : { ...fields, line: trimmed },
            );
            if (answer.ok) position = answer.position;
            return answer;
          });
          if (placed === undefined) return;
          cart.set(undefined);
          await waitUntilPlaced(props.me.id, order.orderId, position);
          navigate(`/orders/${order.orderId}`);
        }}
      >
        <h2>Checkout</h2>
        <fieldset>
          <legend>Delivery address</legend>
          <AddressField
            id="street"
            label="Street and house"
            autocomplete="address-line1"
            value={address.street}
            onInput={field("street")}
          />
          <AddressField
            id="line"
            label="Flat, floor, entrance (optional)"
            autocomplete="address-line2"
            required={false}
            value={address.line ?? ""}
            onInput={field("line")}
          />
          <AddressField
            id="postal-code"
            label="Postal code"
            autocomplete="postal-code"
            value={address.postalCode}
            onInput={field("postalCode")}
          />
          <AddressField
            id="city"
            label="City"
            autocomplete="address-level2"
            value={address.city}
            onInput={field("city")}
          />
          <p class="field">
            <label for="country">Country</label>
            <select
              id="country"
              autocomplete="country"
              value={address.country}
              onChange={(e) => field("country")(e.currentTarget.value)}
            >
              {COUNTRIES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </p>
        </fieldset>
        <Alert message={checkout.error} />
        <button type="submit" disabled={checkout.busy}>
          Place order
        </button>
      </form>
    </Page>
  );
};
