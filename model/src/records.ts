/**
 * Records keyed by user-chosen ids (node, link, topic and source ids, payload field names).
 *
 * Ids follow Kafka's topic-name rules, so "constructor", "toString" or "__proto__" are valid ids. A plain
 * `{}` inherits those names from Object.prototype: reading `record[id]` then finds a function instead of
 * nothing, and writing `record["__proto__"]` replaces the prototype instead of adding an entry. Every record
 * keyed by a user-chosen id is therefore made with `idRecord()` (no prototype) and read with `own()` (own
 * properties only, which also holds for records that lost their null prototype crossing JSON or a worker
 * message). A guard test (server/src/security/records.test.ts) refuses plain `{}` records in the code.
 */
export type IdRecord<V> = Record<string, V>;

/** An empty record with no prototype, optionally filled from entries. */
export function idRecord<V>(entries?: Iterable<readonly [string, V]>): IdRecord<V> {
  const record = Object.create(null) as IdRecord<V>;
  if (entries) for (const [key, value] of entries) record[key] = value;
  return record;
}

/** The record's own entry for `key`, never one inherited from a prototype. */
export function own<V>(record: Readonly<Record<string, V>> | undefined | null, key: string): V | undefined {
  return record != null && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The record's own entry for `key`, made with `make` (and stored) when it has none. */
export function ownOrAdd<V>(record: Record<string, V>, key: string, make: () => V): V {
  if (Object.hasOwn(record, key)) return record[key] as V;
  const made = make();
  // defineProperty: plain assignment of "__proto__" on a record that lost its null prototype would set the
  // prototype instead of adding an entry.
  Object.defineProperty(record, key, { value: made, enumerable: true, writable: true, configurable: true });
  return made;
}
