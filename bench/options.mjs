// What the benches share when reading their command line: a refusal that names the problem and
// shows the usage, and the whole-number options.

/** A function that prints `name: message`, then the usage, and exits with 2 (a usage error). */
export function usageFailure(name, usage) {
  return (message) => {
    process.stderr.write(`${name}: ${message}\n\n${usage}\n`);
    process.exit(2);
  };
}

/** `value` as a whole number of at least 1, or `fail` naming the flag and what was given. */
export function positiveWholeNumber(value, flag, fail) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${flag} must be a positive whole number, not "${value}".`);
  return n;
}
