/**
 * A map of at most `size` entries that forgets the least recently used one
 * first: `get` of a key makes it the most recent, and `set` past the size
 * drops the oldest. For caches keyed by content (option sets, taxonomies).
 */
export class RecentMap<K, V> {
  private readonly map = new Map<K, V>()

  constructor(private readonly size: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key)
    if (value !== undefined) {
      // Moved to the end of the map's order: the last to be forgotten.
      this.map.delete(key)
      this.map.set(key, value)
    }
    return value
  }

  set(key: K, value: V): void {
    this.map.delete(key)
    if (this.map.size >= this.size) this.map.delete(this.map.keys().next().value!)
    this.map.set(key, value)
  }
}
