import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Result } from "../api/http.js";
import { describeProblem } from "../api/problems.js";
import type { Store } from "../api/store.js";

export const useStore = <S>(store: Store<S>): S => {
  const [state, setState] = useState(store.get());
  useEffect(() => {
    setState(store.get());
    return store.subscribe(setState);
  }, [store]);
  return state;
};

export type Loaded<A> =
  | { readonly kind: "loading" }
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "loaded"; readonly value: A };

/**
 * A read, kept fresh: loaded at once, again on `reload`, changed in place by `update` (a command's
 * answer, a pushed event; `undefined` leaves it as it is), and, for the screens whose services
 * push nothing, every `everyMs` while the page is visible.
 */
export const useLoad = <A>(
  load: () => Promise<Result<A>>,
  deps: ReadonlyArray<unknown>,
  everyMs?: number,
): [Loaded<A>, () => Promise<void>, (change: (before: A | undefined) => A | undefined) => void] => {
  const [state, setState] = useState<Loaded<A>>({ kind: "loading" });
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(async () => {
    const answer = await latest.current();
    setState((before) =>
      answer.ok
        ? { kind: "loaded", value: answer.value }
        : before.kind === "loaded"
          ? before
          : { kind: "failed", message: describeProblem(answer.problem) },
    );
  }, []);
  const update = useCallback(
    (change: (before: A | undefined) => A | undefined) =>
      setState((before) => {
        const value = change(before.kind === "loaded" ? before.value : undefined);
        return value === undefined ? before : { kind: "loaded", value };
      }),
    [],
  );
  useEffect(() => {
    setState({ kind: "loading" });
    void reload();
    if (everyMs === undefined) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void reload();
    }, everyMs);
    return () => clearInterval(timer);
  }, deps);
  return [state, reload, update];
};

/** A command's progress on a form or a button: busy while it runs, then its refusal in words. */
export const useCommand = () => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = useCallback(async <A>(command: () => Promise<Result<A>>) => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await command();
      if (!answer.ok) setError(describeProblem(answer.problem));
      return answer.ok ? answer.value : undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
};
