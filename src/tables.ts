/**
 * Lookup tables keyed by names from the user's code (methods, properties, parameters, model ids,
 * event names, marker codes). A plain object literal answers `TABLE["toString"]` with
 * `Object.prototype.toString`, so a user's `toString` or `constructor` would be an entry: these
 * tables have no prototype, and `own` reads any other object (jscodeshift's scope bindings, parsed
 * JSON) by own property only.
 */

/** A frozen table without a prototype: only its own entries answer a lookup, `in` included. */
export function table<T extends object>(entries: T): Readonly<T> {
  return Object.freeze(Object.assign(Object.create(null) as T, entries));
}

/** `record[key]` when `key` is the record's own property, else undefined. */
export function own<R extends object>(record: R | null | undefined, key: string): R[keyof R] | undefined {
  return record && Object.prototype.hasOwnProperty.call(record, key) ? (record as Record<string, R[keyof R]>)[key] : undefined;
}
