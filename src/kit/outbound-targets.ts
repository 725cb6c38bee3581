import dns from 'node:dns/promises';
import net from 'node:net';

/**
 * Which servers a connection may reach. Connection settings are typed by an account's integration admin,
 * not by the operator: without a rule, "host 10.0.0.5 port 5432" turns the connection test into a scanner
 * of the operator's internal network (and 169.254.169.254 into a reader of cloud metadata). Like GitLab's
 * "allow requests to the local network" (off by default), loopback, private, link-local, shared (CGNAT),
 * unspecified, documentation, benchmark and multicast addresses are refused unless the operator allows
 * them: LMC_OUTBOUND_ALLOW_PRIVATE=true allows all, or a list of addresses and CIDR ranges allows only those.
 * The host name is resolved here and every address it resolves to is checked; the caller then connects to
 * the address checked, never to the name again (a second lookup could answer differently).
 */

/** [network, prefix length] of every IPv4 range that is not the public internet (RFC 6890). */
const NON_PUBLIC_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const NON_PUBLIC_V6: Array<[string, number]> = [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];

const nonPublic = new net.BlockList();
for (const [a, p] of NON_PUBLIC_V4) nonPublic.addSubnet(a, p, 'ipv4');
for (const [a, p] of NON_PUBLIC_V6) nonPublic.addSubnet(a, p, 'ipv6');

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedV4(v6: string): string | undefined {
  const lower = v6.toLowerCase();
  const m = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (m) return m[1];
  const h = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!h) return undefined;
  const hi = parseInt(h[1], 16);
  const lo = parseInt(h[2], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** The address as the family it really reaches (IPv4-mapped IPv6 addresses are IPv4). */
function canonical(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  if (net.isIPv4(address)) return { address, type: 'ipv4' };
  const v4 = embeddedV4(address);
  return v4 ? { address: v4, type: 'ipv4' } : { address, type: 'ipv6' };
}

/** True for loopback, private, link-local and the other addresses outside the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const c = canonical(address);
  return nonPublic.check(c.address, c.type);
}

/** The operator's exceptions (addresses and CIDR ranges); throws naming the setting for a bad entry. */
function allowList(entries: string[]): net.BlockList {
  const list = new net.BlockList();
  for (const raw of entries) {
    const [addr, bits, extra] = raw.split('/');
    const type = net.isIPv4(addr) ? 'ipv4' : net.isIPv6(addr) ? 'ipv6' : undefined;
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = type === 'ipv4' ? 32 : 128;
    if (!type || extra !== undefined || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))) {
      throw new Error(`LMC_OUTBOUND_ALLOW_PRIVATE: "${raw}" is not true, false, an IP address or a CIDR range (e.g. 10.20.0.0/16)`);
    }
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, prefix, type);
  }
  return list;
}

export type OutboundTarget =
  | { ok: true; /** What to connect to: the checked address, or the name itself when every address is allowed. */ address: string }
  | { ok: false; reason: 'unresolvable' }
  | { ok: false; reason: 'not-allowed'; address: string };

/**
 * Resolves `host` and checks every address against the operator's rule.
 * @example const t = await resolveOutboundTarget('sftp.acme.test', ctx.config.outboundAllowPrivate);
 */
export async function resolveOutboundTarget(host: string, allowPrivate: boolean | string[]): Promise<OutboundTarget> {
  if (allowPrivate === true) return { ok: true, address: host };
  const exceptions = allowList(allowPrivate === false ? [] : allowPrivate);
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return { ok: false, reason: 'unresolvable' };
    }
  }
  if (!addresses.length) return { ok: false, reason: 'unresolvable' };
  for (const a of addresses) {
    const c = canonical(a);
    if (nonPublic.check(c.address, c.type) && !exceptions.check(c.address, c.type)) return { ok: false, reason: 'not-allowed', address: a };
  }
  return { ok: true, address: addresses[0] };
}
