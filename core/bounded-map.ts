/**
 * A Map that holds at most `limit` entries: adding a new key to a full one drops the oldest (a Map
 * keeps insertion order). For the caches that live as long as their process or workflow thread
 * (compiled patterns, expressions and templates; looked-up keys, channels, conversations), where an
 * unbounded one would grow with every tenant's input.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
