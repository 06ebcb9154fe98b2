import { createHmac } from 'node:crypto';

/** Cookie (and X-Visitor-Id entry) holding a visitor's place in one campaign's rotation. */
export const cookieName = (campaignId: number): string => `bnr_${campaignId}`;

export const VISITOR_COOKIE_MAX_AGE = 30 * 24 * 3600;

/**
 * `<state>.<signature>`, the signature being HMAC-SHA256 over `message` (campaign, collection and
 * place in the rotation). It depends on nothing per visitor, so it is computed once per
 * collection, never per request; replicas that share the key accept each other's cookies, which
 * is what lets them run without a session store.
 */
export function signedToken(secret: string, message: string, state: string): string {
  const signature = createHmac('sha256', secret).update(message).digest('base64url').slice(0, 22);
  return `${state}.${signature}`;
}

/**
 * The value of `name` in a `Cookie`-style header (`a=1; b=2`), or undefined. Checks the character
 * before the match so `xbnr_1=` never passes for `bnr_1=`.
 */
export function readEntry(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let at = header.indexOf(name + '=');
  while (at > 0 && header.charCodeAt(at - 1) !== 32 && header.charCodeAt(at - 1) !== 59) {
    at = header.indexOf(name + '=', at + 1);
  }
  if (at < 0) return undefined;
  const start = at + name.length + 1;
  const end = header.indexOf(';', start);
  return end < 0 ? header.slice(start) : header.slice(start, end);
}

const VISITOR_HEADER = /^[\x21-\x3a\x3c-\x7e][\x20-\x7e]{0,4095}$/;
const VISITOR_HEADER_MAX = 4096;

/**
 * The X-Visitor-Id to answer with: the visitor's id (its first `;`-separated part), the entries of
 * other campaigns, and this campaign's new entry. API clients echo it back the way a browser echoes
 * cookies; undefined when the header is malformed (then it is ignored).
 */
export function nextVisitorHeader(header: string, name: string, token: string): string | undefined {
  if (!VISITOR_HEADER.test(header)) return undefined;
  const parts = header.split(';');
  const id = parts[0].trim();
  const kept = parts
    .slice(1)
    .map((part) => part.trim())
    .filter((part) => part && !part.startsWith(name + '='));
  const next = [id, ...kept, `${name}=${token}`].join('; ');
  return next.length <= VISITOR_HEADER_MAX ? next : `${id}; ${name}=${token}`;
}
