/**
 * A bounded cache of immutable values by their wire text (Decimals and DateTimes the read path
 * makes): records repeat amounts and dates, so one instance serves every field with that text.
 * Two generations of at most `size` entries each: when the newer is full it becomes the older and
 * the oldest one is dropped; a text found in the older is moved to the newer. Recently used texts
 * stay, a stream of one-off texts never holds more than `2 × size` entries.
 * @internal
 */
export class RecentByText<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  /** @param size entries per generation */
  constructor(private readonly size: number) {}

  /** The value kept for `text`, if any. */
  get(text: string): V | undefined {
    const v = this.young.get(text);
    if (v !== undefined) return v;
    const o = this.old.get(text);
    if (o !== undefined) this.set(text, o);
    return o;
  }

  /** Keeps `value` for `text`. */
  set(text: string, value: V): void {
    if (this.young.size >= this.size) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(text, value);
  }

  /** Forgets every value. */
  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
