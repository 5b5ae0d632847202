/**
 * A value made on its first use and kept, so that the modules it imports load then and not when
 * the extension activates. A make that failed (a chunk that did not load) is tried again next time.
 */
export function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    made.catch(() => (made = undefined));
    return made;
  };
}
