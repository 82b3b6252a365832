/**
 * Compares certificate subjects the way UK Open Banking registrations state them
 * (`tls_client_auth_subject_dn`, RFC 4514 strings such as `CN=abc,OU=0015800001041RE,O=OpenBanking,C=GB`)
 * against what Node reports for a certificate (one `TYPE=value` per line). Order of RDNs is ignored
 * and attribute types are case-insensitive, with the OID and short-name spellings treated alike.
 */
const ALIASES: Record<string, string> = {
  '2.5.4.3': 'CN',
  COMMONNAME: 'CN',
  '2.5.4.10': 'O',
  ORGANIZATIONNAME: 'O',
  '2.5.4.11': 'OU',
  ORGANIZATIONALUNITNAME: 'OU',
  '2.5.4.6': 'C',
  COUNTRYNAME: 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.97': 'ORGANIZATIONIDENTIFIER',
  '1.2.840.113549.1.9.1': 'EMAILADDRESS',
  E: 'EMAILADDRESS',
};

function canonicalType(type: string): string {
  const upper = type.trim().replace(/^OID\./i, '').toUpperCase();
  return ALIASES[upper] ?? upper;
}

/** Splits an RFC 4514 string on unescaped commas (and `+` multi-valued RDNs). */
function splitRfc4514(dn: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i += 1) {
    const char = dn[i]!;
    if (char === '\\' && i + 1 < dn.length) {
      current += char + dn[i + 1];
      i += 1;
    } else if (char === ',' || char === '+') {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** RFC 4514 §2.4: `\XX` escapes are bytes of UTF-8, so `Caf\C3\A9` is `Café`. */
function unescapeValue(value: string): string {
  const parts = value.trim().split(/(\\[0-9a-f]{2}|\\.)/i);
  return Buffer.concat(parts.map((part) => {
    if (/^\\[0-9a-f]{2}$/i.test(part)) return Buffer.from([parseInt(part.slice(1), 16)]);
    return Buffer.from(part.startsWith('\\') ? part.slice(1) : part);
  })).toString('utf8');
}

function toAttributes(pairs: string[]): string[] {
  return pairs
    .map((pair) => {
      const at = pair.indexOf('=');
      return at <= 0 ? '' : `${canonicalType(pair.slice(0, at))}=${unescapeValue(pair.slice(at + 1))}`;
    })
    .sort();
}

/** True when the certificate subject (Node's `X509Certificate#subject`) equals the RFC 4514 DN. */
export function subjectMatches(certificateSubject: string, expectedDn: string): boolean {
  // Node prints a multi-valued RDN on one line as `OU=a + CN=b` (a `+` inside a value is escaped).
  const actual = toAttributes(certificateSubject.split('\n').flatMap((line) => line.split(' + ')).filter(Boolean));
  const expected = toAttributes(splitRfc4514(expectedDn));
  return actual.length === expected.length && actual.every((attribute, index) => attribute === expected[index] && attribute !== '');
}
