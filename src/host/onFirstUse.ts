/**
 * A value made on its first use and kept, so that the modules it imports load then and not when
 * the extension activates. A make that failed (a chunk that did not load) is tried again next time.
 */
export function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    if (!made) {
      const attempt = make();
      attempt.catch(() => {
        if (made === attempt) made = undefined;
      });
      made = attempt;
    }
    return made;
  };
}
