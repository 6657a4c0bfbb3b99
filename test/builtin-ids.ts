import { ID_PATTERN } from '@lab/model';

/**
 * Every name JavaScript's built-in objects carry that is also a valid lab id (Kafka topic-name characters):
 * "constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "length", "map"… The ids a hostile or
 * unlucky user picks to reach an object's prototype instead of a record's entry.
 */
export function builtinIds(): string[] {
  const owners: object[] = [
    Object.prototype,
    Function.prototype,
    Array.prototype,
    String.prototype,
    Number.prototype,
    Boolean.prototype,
    Symbol.prototype,
    BigInt.prototype,
    Date.prototype,
    RegExp.prototype,
    Error.prototype,
    Promise.prototype,
    Map.prototype,
    Set.prototype,
    WeakMap.prototype,
    ArrayBuffer.prototype,
    Uint8Array.prototype,
    Object.getPrototypeOf(Uint8Array.prototype),
    Object,
    Function,
    Array,
    globalThis,
  ];
  const names = new Set<string>(['__proto__']);
  for (const owner of owners) for (const name of Object.getOwnPropertyNames(owner)) names.add(name);
  const valid = new RegExp(ID_PATTERN);
  return [...names].filter((name) => valid.test(name) && name.length <= 64 && name !== '.' && name !== '..').sort();
}
