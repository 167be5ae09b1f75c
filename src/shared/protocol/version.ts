// Protocol versions this build speaks, and the choice of a common version with a peer.
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_VERSIONS: readonly number[] = [PROTOCOL_VERSION];

/**
 * The highest version both sides speak, or undefined when there is none.
 * An agent that speaks several versions retries its hello with this version after an
 * `unsupported_version` error (whose `supported_versions` lists the supervisor's).
 */
export function negotiateVersion(
  offered: number | readonly number[],
  supported: readonly number[] = SUPPORTED_VERSIONS,
): number | undefined {
  const candidates = typeof offered === 'number' ? [offered] : offered;
  let best: number | undefined;
  for (const version of candidates) {
    if (supported.includes(version) && (best === undefined || version > best)) best = version;
  }
  return best;
}
