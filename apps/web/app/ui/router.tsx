import type { ComponentChildren } from "preact";
import { createStore } from "../api/store.js";
import { useStore } from "./hooks.js";

const location = createStore<string>(window.location.pathname);

window.addEventListener("popstate", () => location.set(window.location.pathname));

export const navigate = (path: string): void => {
  if (path !== window.location.pathname) window.history.pushState(null, "", path);
  location.set(path);
  window.scrollTo(0, 0);
};

export const usePath = (): string => useStore(location);

export const Link = (props: {
  readonly href: string;
  readonly children: ComponentChildren;
  readonly class?: string;
  readonly current?: boolean;
}) => (
  <a
    href={props.href}
    class={props.class}
    aria-current={props.current ? "page" : undefined}
    onClick={(e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(props.href);
    }}
  >
    {props.children}
  </a>
);
