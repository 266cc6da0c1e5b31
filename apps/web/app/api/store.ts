/** A value that pages can watch: the session, the cart. */
export interface Store<S> {
  readonly get: () => S;
  readonly set: (next: S) => void;
  readonly subscribe: (listener: (s: S) => void) => () => void;
}

export const createStore = <S>(initial: S): Store<S> => {
  let state = initial;
  const listeners = new Set<(s: S) => void>();
  return {
    get: () => state,
    set: (next) => {
      state = next;
      for (const l of [...listeners]) l(state);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
};
