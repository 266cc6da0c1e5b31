import type { LineId, OrderId, Quantity } from "../../shared/codecs.js";

export interface Reservation {
  readonly lineId: LineId;
  readonly orderId: OrderId;
  readonly quantity: Quantity;
}

/**
 * A StockItem's live reservations by line id, as a persistent hash trie: reserving or releasing
 * copies the few 32-slot branches on the way to the line (three at 5,000 reservations), not the
 * whole set, and finding a line looks at those branches only. A popular SKU holds thousands of
 * live reservations, and copying them all on every reservation was a share of the HTTP bench's
 * CPU of its own, twice over with the garbage it left.
 *
 * The shape depends only on which lines are held, never on the history that led there (a line
 * sits in the shallowest free slot its hash reaches, and a branch left with one line folds back
 * into its parent), so a state folded from the stream equals one rebuilt from a snapshot. Lines
 * come out in hash order: no reader needs them in any other.
 */
export interface LiveReservations extends Iterable<Reservation> {
  readonly size: number;
  readonly root: Branch;
}

/** Lines whose 32-bit hashes are all equal, kept sorted so that their order is canonical too. */
interface Bucket {
  readonly collided: ReadonlyArray<Reservation>;
}
type Slot = Reservation | Bucket | Branch | undefined;
type Branch = ReadonlyArray<Slot>;

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
/** Past this shift the hash has no bits left: lines that reach it collide. */
const LAST_SHIFT = 30;

/** FNV-1a over UTF-16 code units: spreads line ids (uuids, hashes of keys) well enough. */
const hashOf = (lineId: string): number => {
  let hash = 0x811c9dc5;
  for (let at = 0; at < lineId.length; at += 1) {
    hash ^= lineId.charCodeAt(at);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

const isBranch = (slot: Slot): slot is Branch => Array.isArray(slot);
const isBucket = (slot: Slot): slot is Bucket =>
  slot !== undefined && !isBranch(slot) && "collided" in slot;

const emptyBranch: Branch = Array.from({ length: WIDTH }, () => undefined);

const collect = (slot: Slot, into: Reservation[]): void => {
  if (slot === undefined) return;
  if (isBranch(slot)) for (const child of slot) collect(child, into);
  else if (isBucket(slot)) into.push(...slot.collided);
  else into.push(slot);
};

/** Every live reservation, in hash order. */
export const listOf = (held: LiveReservations): Reservation[] => {
  const list: Reservation[] = [];
  collect(held.root, list);
  return list;
};

function iterate(this: LiveReservations): Iterator<Reservation> {
  return listOf(this)[Symbol.iterator]();
}

const reservations = (root: Branch, size: number): LiveReservations => ({
  size,
  root,
  [Symbol.iterator]: iterate,
});

export const noReservations: LiveReservations = reservations(emptyBranch, 0);

const withSlot = (branch: Branch, index: number, slot: Slot): Branch => {
  const copy = branch.slice();
  copy[index] = slot;
  return copy;
};

const byLineId = (a: Reservation, b: Reservation): number =>
  a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0;

/** The slot holding `a` and `b` (different lines) from `shift` on. */
const pair = (a: Reservation, hashA: number, b: Reservation, shift: number): Slot => {
  if (shift > LAST_SHIFT) return { collided: [a, b].sort(byLineId) };
  const hashB = hashOf(b.lineId);
  const at = (hashA >>> shift) & MASK;
  const bt = (hashB >>> shift) & MASK;
  if (at === bt) return withSlot(emptyBranch, at, pair(a, hashA, b, shift + BITS));
  return withSlot(withSlot(emptyBranch, at, a), bt, b);
};

const slotOf = (
  slot: Slot,
  lineId: LineId,
  hash: number,
  shift: number,
): Reservation | undefined => {
  let current = slot;
  let at = shift;
  while (current !== undefined) {
    if (isBranch(current)) {
      current = current[(hash >>> at) & MASK];
      at += BITS;
    } else if (isBucket(current)) {
      return current.collided.find((held) => held.lineId === lineId);
    } else {
      return current.lineId === lineId ? current : undefined;
    }
  }
  return undefined;
};

/** The live reservation of `lineId`, if there is one. */
export const heldFor = (held: LiveReservations, lineId: LineId): Reservation | undefined =>
  slotOf(held.root, lineId, hashOf(lineId), 0);

/** `slot` with `reservation` in it; `added` tells whether its line was new there. */
const put = (
  slot: Slot,
  reservation: Reservation,
  hash: number,
  shift: number,
): { readonly slot: Slot; readonly added: boolean } => {
  if (slot === undefined) return { slot: reservation, added: true };
  if (isBranch(slot)) {
    const index = (hash >>> shift) & MASK;
    const inner = put(slot[index], reservation, hash, shift + BITS);
    return { slot: withSlot(slot, index, inner.slot), added: inner.added };
  }
  if (isBucket(slot)) {
    const others = slot.collided.filter((held) => held.lineId !== reservation.lineId);
    return {
      slot: { collided: [...others, reservation].sort(byLineId) },
      added: others.length === slot.collided.length,
    };
  }
  if (slot.lineId === reservation.lineId) return { slot: reservation, added: false };
  return { slot: pair(reservation, hash, slot, shift), added: true };
};

/** The set with `reservation` held, replacing what its line held before. */
export const holding = (held: LiveReservations, reservation: Reservation): LiveReservations => {
  const { slot, added } = put(held.root, reservation, hashOf(reservation.lineId), 0);
  return reservations(slot as Branch, added ? held.size + 1 : held.size);
};

/** A branch left with one line and nothing below it folds into that line. */
const folded = (branch: Branch): Slot => {
  let only: Slot;
  for (const slot of branch) {
    if (slot === undefined) continue;
    if (only !== undefined || isBranch(slot) || isBucket(slot)) return branch;
    only = slot;
  }
  return only;
};

/** `slot` without `lineId`, or the very same slot when it does not hold it. */
const take = (slot: Slot, lineId: LineId, hash: number, shift: number): Slot => {
  if (slot === undefined) return slot;
  if (isBranch(slot)) {
    const index = (hash >>> shift) & MASK;
    const inner = take(slot[index], lineId, hash, shift + BITS);
    return inner === slot[index] ? slot : folded(withSlot(slot, index, inner));
  }
  if (isBucket(slot)) {
    const others = slot.collided.filter((held) => held.lineId !== lineId);
    if (others.length === slot.collided.length) return slot;
    return others.length === 1 ? others[0] : { collided: others };
  }
  return slot.lineId === lineId ? undefined : slot;
};

/** The set without `lineId`'s reservation. */
export const without = (held: LiveReservations, lineId: LineId): LiveReservations => {
  const hash = hashOf(lineId);
  const branch = held.root;
  const index = hash & MASK;
  const inner = take(branch[index], lineId, hash, BITS);
  // The root stays a branch, however few lines are left.
  return inner === branch[index]
    ? held
    : reservations(withSlot(branch, index, inner), held.size - 1);
};

export const fromList = (list: Iterable<Reservation>): LiveReservations => {
  let held = noReservations;
  for (const reservation of list) held = holding(held, reservation);
  return held;
};
