import type { ComponentChildren } from "preact";
import type { Loaded } from "./hooks.js";

/** A refusal or a failure, read out by screen readers as it appears. */
export const Alert = (props: { readonly message: string | undefined }) =>
  props.message === undefined ? null : (
    <p class="alert" role="alert">
      {props.message}
    </p>
  );

export const Page = (props: { readonly title: string; readonly children: ComponentChildren }) => (
  <section aria-labelledby="page-title">
    <h1 id="page-title">{props.title}</h1>
    {props.children}
  </section>
);

export const Show = <A,>(props: {
  readonly state: Loaded<A>;
  readonly children: (value: A) => ComponentChildren;
}) =>
  props.state.kind === "loading" ? (
    <p aria-busy="true">Loading…</p>
  ) : props.state.kind === "failed" ? (
    <Alert message={props.state.message} />
  ) : (
    props.children(props.state.value)
  );
