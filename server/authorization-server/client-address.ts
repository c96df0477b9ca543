/**
 * The key under which limits count a client address: an IPv4 address as it is (also when
 * written IPv4-mapped, `::ffff:192.0.2.1`), an IPv6 address by its /64 prefix — one host
 * usually holds a whole /64, so counting single IPv6 addresses would give it billions of
 * shares. Where counting failures is the point (the login throttle), an IPv6 address also
 * counts under its /48: one site usually holds a /48, and a /48 holds 65,536 /64s. The servers
 * are reached directly (never trust X-Forwarded-For here).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address, `::` expanded. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...missing, ...right].map((group) =>
    group.toLowerCase().replace(/^0+(?=.)/, ''),
  );
}

const isPlainIPv6 = (address: string) => isIPv6(address) && !address.includes('.');
const prefix = (address: string, groups: number) =>
  `${ipv6Groups(address).slice(0, groups).join(':')}::/${groups * 16}`;

export function clientAddressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  return isPlainIPv6(address) ? prefix(address, 4) : address;
}

/** The /48 an IPv6 address belongs to (`2001:db8:1::/48`); undefined for IPv4. */
export function clientNetworkKey(address: string): string | undefined {
  const key = clientAddressKey(address);
  return key.endsWith('/64') ? prefix(address, 3) : undefined;
}
