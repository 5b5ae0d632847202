// Why a server could not be reached, in words. Node's fetch reports every network failure as
// "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND, ...) a level or two down its causes.

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (is the server running on that port?)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  UND_ERR_SOCKET: 'the connection closed',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPROTO: 'the TLS handshake failed (an https URL for an http server?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the TLS handshake failed (an https URL for an http server?)',
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate is not trusted",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another host",
};

/** "connection refused (...)" from an error whose cause chain carries a system error code. */
export function connectionFailureReason(error: unknown): string {
  const seen = new Set<unknown>();
  let deepestMessage: string | undefined;
  for (let current: unknown = error; current && typeof current === 'object' && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const { code, name, message } = current as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && REASONS[code]) return REASONS[code];
    if (name === 'TimeoutError') return 'no answer in time';
    if (typeof code === 'string' && code) return `${typeof message === 'string' && message ? message : 'network error'} (${code})`;
    if (typeof message === 'string' && message) deepestMessage = message;
  }
  return deepestMessage ?? String(error);
}
